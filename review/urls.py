from django.urls import path

from review import publicity_views, views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk-pass/", views.bulk_pass, name="bulk_pass"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/committee/", views.committee_decide, name="committee_decide"),
    path("publicity/", publicity_views.publicity_list, name="publicity_list"),
    path("publicity/publish/", publicity_views.publicity_publish, name="publicity_publish"),
    path("publicity/<int:pk>/", publicity_views.publicity_detail, name="publicity_detail"),
    path(
        "publicity/complaints/<int:pk>/resolve/",
        publicity_views.complaint_resolve_view,
        name="complaint_resolve",
    ),
    path("unit-conditions/", views.unit_conditions, name="unit_conditions"),
    path(
        "unit-conditions/<int:pk>/delete/",
        views.unit_condition_delete_view,
        name="unit_condition_delete",
    ),
]
