"""Signals a higher app may answer without programs importing it (the layering of .importlinter)."""

from django.dispatch import Signal

# Sent once a program was created as the successor of another, inside the creating transaction:
# sender=Program, program=<the new one>, predecessor=<the one it follows>,
# replaced={old organisation id: new organisation id} (parties dissolved before the new phase),
# user=<who created it>. Reporting copies the predecessor's targets as drafts.
program_succeeded = Signal()
