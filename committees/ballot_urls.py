"""Routes of the vote, results and minutes; included by committees/urls.py (namespace committees)."""

from django.urls import path

from committees import ballot_views as v

urlpatterns = [
    path("meetings/<int:pk>/vote/", v.vote_page, name="vote"),
    path("meetings/<int:pk>/vote/<int:candidate_pk>/", v.vote_cast_view, name="vote_cast"),
    path("meetings/<int:pk>/opinion/<int:candidate_pk>/", v.opinion_view, name="opinion"),
    path("meetings/<int:pk>/conflict/<int:candidate_pk>/", v.conflict_view, name="conflict"),
    path("meetings/<int:pk>/close-voting/", v.voting_close_view, name="close_voting"),
    path("meetings/<int:pk>/sign/", v.results_sign_view, name="sign"),
    path("meetings/<int:pk>/results/", v.results_page, name="results"),
    path("meetings/<int:pk>/tally/<int:candidate_pk>/", v.tally_view, name="tally"),
    path("meetings/<int:pk>/terminate/<int:candidate_pk>/", v.terminate_view, name="terminate"),
    path("meetings/<int:pk>/minutes.pdf", v.minutes_download, name="minutes"),
]
