"""Committee API routes, included under /api/v1/."""

from django.urls import path

from committees.api import outcomes, views

urlpatterns = [
    path("committees/", views.CommitteeListApi.as_view(), name="committee-list"),
    path("committees/experts/", views.ExpertListApi.as_view(), name="expert-list"),
    path("committees/<int:pk>/", views.CommitteeDetailApi.as_view(), name="committee-detail"),
    path("committees/my/", views.MyInvitationsApi.as_view(), name="committee-my-invitations"),
    path("committees/<int:pk>/meetings/", views.MeetingScheduleApi.as_view(), name="meeting-schedule"),
    path("meetings/", views.MeetingListApi.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", views.MeetingDetailApi.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/candidates/", views.CandidateAddApi.as_view(), name="meeting-candidate-add"),
    path(
        "meetings/<int:pk>/candidates/<int:candidate_pk>/",
        views.CandidateRemoveApi.as_view(),
        name="meeting-candidate-remove",
    ),
    path("meetings/<int:pk>/draw/", views.DrawApi.as_view(), name="meeting-draw"),
    path("meetings/<int:pk>/attendance/", views.AttendanceApi.as_view(), name="meeting-attendance"),
    path("meetings/<int:pk>/presiding/", views.PresidingApi.as_view(), name="meeting-presiding"),
    path("meetings/<int:pk>/officers/", views.OfficerAddApi.as_view(), name="meeting-officer-add"),
    path("meetings/<int:pk>/open-voting/", views.OpenVotingApi.as_view(), name="meeting-open-voting"),
    path("draw-entries/<int:pk>/respond/", views.EntryRespondApi.as_view(), name="draw-entry-respond"),
    path("meeting-seats/<int:pk>/sign-in/", views.SignInApi.as_view(), name="meeting-seat-sign-in"),
    # After the meeting (R8.1, R8.2).
    path("meetings/<int:pk>/outcomes/", outcomes.OutcomesApi.as_view(), name="meeting-outcomes"),
    path(
        "meetings/<int:pk>/review-report/",
        outcomes.ReviewReportApi.as_view(),
        name="meeting-review-report",
    ),
    path(
        "meetings/<int:pk>/results-publicity/",
        outcomes.ResultsPublishApi.as_view(),
        name="meeting-results-publicity",
    ),
    path(
        "meetings/<int:pk>/confirmations/",
        outcomes.ConfirmationDraftApi.as_view(),
        name="meeting-confirmation-draft",
    ),
    path("confirmations/<int:pk>/", outcomes.ConfirmationDetailApi.as_view(), name="confirmation-detail"),
    path("confirmations/<int:pk>/issue/", outcomes.ConfirmationIssueApi.as_view(), name="confirmation-issue"),
    path(
        "results-publicity/<int:pk>/",
        outcomes.ResultsPublicDetailApi.as_view(),
        name="results-publicity-detail",
    ),
    path("results-publicity/", outcomes.ResultsPublicListApi.as_view(), name="results-publicity-list"),
    path("outcomes/", outcomes.OutcomeListApi.as_view(), name="outcome-list"),
    path(
        "meetings/<int:pk>/review-report/pdf/",
        outcomes.ReviewReportPdfApi.as_view(),
        name="meeting-review-report-pdf",
    ),
    path(
        "results-complaints/",
        outcomes.ResultsComplaintCreateApi.as_view(),
        name="results-complaint-create",
    ),
    path(
        "results-complaints/<int:pk>/resolve/",
        outcomes.ResultsComplaintResolveApi.as_view(),
        name="results-complaint-resolve",
    ),
]
