"""Public pages of unit publicity (R6.3), mounted at /publicity/; no login."""

from django.urls import path

from review import publicity_views

app_name = "public"
urlpatterns = [
    path("", publicity_views.public_list, name="publicity_list"),
    path("<int:pk>/", publicity_views.public_detail, name="publicity_detail"),
    path("<int:pk>/entries/<int:entry_pk>/form.pdf", publicity_views.public_entry_pdf, name="publicity_pdf"),
]
