from django.urls import include, path

from committees import views

app_name = "committees"
urlpatterns = [
    path("", views.committee_list, name="list"),
    path("my/", views.my_invitations, name="my"),
    path("experts/", views.expert_list, name="experts"),
    path("<int:pk>/", views.committee_detail, name="detail"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/candidates/", views.candidate_add, name="candidate_add"),
    path(
        "meetings/<int:pk>/candidates/<int:candidate_pk>/remove/",
        views.candidate_remove,
        name="candidate_remove",
    ),
    path("meetings/<int:pk>/draw/", views.draw, name="draw"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/presiding/", views.presiding, name="presiding"),
    path("meetings/<int:pk>/officers/", views.officer_add, name="officer_add"),
    path("meetings/<int:pk>/recusals/", views.recusal_add, name="recusal_add"),
    path("meetings/<int:pk>/open-voting/", views.open_voting, name="open_voting"),
    path("invitations/<int:pk>/respond/", views.entry_respond, name="respond"),
    path("seats/<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("", include("committees.ballot_urls")),
]
