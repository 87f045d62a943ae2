"""URLs of ``make bench``: the platform's own, plus the baselines under /bench/."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/baseline/insert/", views.baseline_insert, name="bench-baseline-insert"),
    path("bench/baseline/template/", views.baseline_template, name="bench-baseline-template"),
    path("", include("config.urls")),
]
