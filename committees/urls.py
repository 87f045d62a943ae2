from django.urls import include, path

from committees import outcome_views, views

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
    # After the meeting: review report, results publicity, confirmation (R8.1, R8.2).
    path("outcomes/", outcome_views.outcome_list, name="outcome_list"),
    path("meetings/<int:pk>/outcomes/", outcome_views.outcomes, name="outcomes"),
    path(
        "meetings/<int:pk>/outcomes/report/",
        outcome_views.review_report_submit,
        name="review_report_submit",
    ),
    path(
        "meetings/<int:pk>/outcomes/report.pdf",
        outcome_views.review_report_download,
        name="review_report_download",
    ),
    path("meetings/<int:pk>/outcomes/publicity/", outcome_views.results_publish, name="results_publish"),
    path(
        "meetings/<int:pk>/outcomes/confirmations/",
        outcome_views.confirmation_draft,
        name="confirmation_draft",
    ),
    path(
        "results-complaints/<int:pk>/resolve/",
        outcome_views.results_complaint_resolve,
        name="results_complaint_resolve",
    ),
    path("confirmations/<int:pk>/", outcome_views.confirmation_detail, name="confirmation_detail"),
    path("confirmations/<int:pk>/issue/", outcome_views.confirmation_issue, name="confirmation_issue"),
    path("results/", outcome_views.results_public_list, name="results_public_list"),
    path("results/<int:pk>/", outcome_views.results_public_detail, name="results_public_detail"),
]
