"""gunicorn settings for Phối Hợp behind nginx (see docs/operations.md).

    gunicorn -c /srv/phoihop/app/deploy/gunicorn.conf.py phoihop.wsgi:application

Every value can be changed by the environment (set in /etc/phoihop/phoihop.env).
"""

import multiprocessing
import os

# nginx talks to gunicorn on the loopback only (or a unix socket: "unix:/run/phoihop/gunicorn.sock").
bind = os.environ.get("PHOIHOP_BIND", "127.0.0.1:8001")

# Sync workers: the pages are short requests. 2 × CPU + 1, at most 8. With SQLite (WAL mode, busy
# timeout 20 s) several workers are fine: readers never block the writer.
workers = int(os.environ.get("PHOIHOP_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
threads = 1

# Excel imports, DOCX/PDF reports (LibreOffice) may take tens of seconds.
timeout = int(os.environ.get("PHOIHOP_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then (memory of large imports and charts).
max_requests = 1000
max_requests_jitter = 100

# gunicorn itself trusts X-Forwarded-* only from nginx on this machine. Django reads the scheme
# from X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) and the client address from X-Forwarded-For
# (PHOIHOP_PROXY_COUNT=1), both set — overwritten — by nginx.
forwarded_allow_ips = os.environ.get("PHOIHOP_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr → journald. The access log has no client address (nginx keeps it, with
# its own retention); only the method, path, status, size and time.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("PHOIHOP_GUNICORN_LOG_LEVEL", "info")
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'

worker_tmp_dir = "/dev/shm"
umask = 0o027
proc_name = "phoihop"
