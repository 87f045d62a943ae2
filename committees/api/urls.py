"""Committee API routes, included under /api/v1/."""

from django.urls import path

from committees.api import views

urlpatterns = [
    path("committees/", views.CommitteeListApi.as_view(), name="committee-list"),
    path("committees/experts/", views.ExpertListApi.as_view(), name="expert-list"),
    path("committees/<int:pk>/meetings/", views.MeetingScheduleApi.as_view(), name="meeting-schedule"),
    path("meetings/<int:pk>/", views.MeetingDetailApi.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/candidates/", views.CandidateAddApi.as_view(), name="meeting-candidate-add"),
    path("meetings/<int:pk>/draw/", views.DrawApi.as_view(), name="meeting-draw"),
    path("meetings/<int:pk>/attendance/", views.AttendanceApi.as_view(), name="meeting-attendance"),
    path("meetings/<int:pk>/presiding/", views.PresidingApi.as_view(), name="meeting-presiding"),
    path("meetings/<int:pk>/officers/", views.OfficerAddApi.as_view(), name="meeting-officer-add"),
    path("meetings/<int:pk>/open-voting/", views.OpenVotingApi.as_view(), name="meeting-open-voting"),
    path("draw-entries/<int:pk>/respond/", views.EntryRespondApi.as_view(), name="draw-entry-respond"),
    path("meeting-seats/<int:pk>/sign-in/", views.SignInApi.as_view(), name="meeting-seat-sign-in"),
]
