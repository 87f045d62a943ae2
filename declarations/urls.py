from django.urls import path

from declarations import views

app_name = "declarations"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.declaration_create_view, name="create"),
    path("<int:pk>/", views.declaration_detail, name="detail"),
    path("<int:pk>/edit/", views.declaration_edit, name="edit"),
    path("<int:pk>/submit/", views.declaration_submit_view, name="submit"),
    path("<int:pk>/resubmit/", views.declaration_resubmit_view, name="resubmit"),
    path("<int:pk>/withdraw/", views.declaration_withdraw_view, name="withdraw"),
    path("<int:pk>/remind/", views.declaration_remind_view, name="remind"),
]
