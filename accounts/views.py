"""Account pages: registration of people and organisations, and the public directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import OrganisationFilterForm, OrganisationRegisterForm, RegisterForm
from accounts.selectors import organisation_directory
from accounts.services import organisation_register as organisation_register_service
from accounts.services import user_register
from core.exceptions import ServiceError
from core.forms import add_service_error

ORGANISATIONS_PER_PAGE = 50
# Registration logs the new person in at once; name the backend since there are two.
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def register(request: HttpRequest) -> HttpResponse:
    """Register a real-name person once (R3.1), then sign them in."""
    if request.user.is_authenticated:
        messages.info(request, _("您已登录。已注册用户无需重复注册（R3.1）。"))
        return redirect("core:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(**form.service_kwargs())
        except ServiceError as exc:
            if not add_service_error(form, exc):
                messages.error(request, exc.message)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, _("注册成功，欢迎使用本平台。"))
            return redirect("core:home")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def organisation_register(request: HttpRequest) -> HttpResponse:
    """Register an organisation; the person becomes its title administrator (R3.2)."""
    current = request.user.administered_organisation
    form = OrganisationRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_register_service(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            if not add_service_error(form, exc):
                messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("“%(name)s”注册成功，您已成为该机构的职称管理员（R3.2）。") % {"name": organisation.name},
            )
            return redirect("core:home")
    return render(
        request,
        "accounts/organisation_register.html",
        {"form": form, "current_organisation": current},
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    """The public directory, so an applicant can find the next organisation of a chain (R3.4)."""
    form = OrganisationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    organisations = organisation_directory(
        kind=data.get("kind") or "", district=data.get("district") or "", search=data.get("q") or ""
    )
    page = Paginator(organisations, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/organisation_list.html",
        {"form": form, "page_obj": page, "query": query.urlencode()},
    )
