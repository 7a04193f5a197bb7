from django.urls import path

app_name = "almanac"

urlpatterns: list = [
    # Filled in by the almanac work (issue 4).
]
_ = path
