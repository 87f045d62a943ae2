"""Routes of the vote, results and minutes, included under /api/v1/."""

from django.urls import path

from committees.api import ballots as b

urlpatterns = [
    path(
        "meetings/<int:pk>/candidates/<int:candidate_pk>/ballot/",
        b.BallotCastApi.as_view(),
        name="meeting-ballot-cast",
    ),
    path(
        "meetings/<int:pk>/candidates/<int:candidate_pk>/opinion/",
        b.OpinionApi.as_view(),
        name="meeting-opinion",
    ),
    path(
        "meetings/<int:pk>/candidates/<int:candidate_pk>/conflict/",
        b.ConflictApi.as_view(),
        name="meeting-conflict",
    ),
    path(
        "meetings/<int:pk>/candidates/<int:candidate_pk>/tally/",
        b.TallyApi.as_view(),
        name="meeting-tally",
    ),
    path(
        "meetings/<int:pk>/candidates/<int:candidate_pk>/terminate/",
        b.TerminateApi.as_view(),
        name="meeting-candidate-terminate",
    ),
    path("meetings/<int:pk>/recusals/", b.RecusalApi.as_view(), name="meeting-recusal"),
    path("meetings/<int:pk>/close-voting/", b.VotingCloseApi.as_view(), name="meeting-close-voting"),
    path("meetings/<int:pk>/sign/", b.ResultsSignApi.as_view(), name="meeting-sign"),
    path("meetings/<int:pk>/results/", b.ResultsApi.as_view(), name="meeting-results"),
    path("meetings/<int:pk>/minutes/", b.MinutesApi.as_view(), name="meeting-minutes"),
]
