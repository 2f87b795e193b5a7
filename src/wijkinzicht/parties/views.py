"""My organisation: details and, for coordinators and administrators, the members (page + CSV)."""


from django.http import Http404, HttpResponse
from django.shortcuts import render

from wijkinzicht.core.exports import write_csv
from wijkinzicht.core.tenancy import TenancyError

from . import selectors


def mine(request):
    organisations = []
    for org in selectors.organisations_for_user(user=request.user):
        roles = selectors.roles_of(user=request.user, organisation=org)
        try:
            members = list(selectors.organisation_members(organisation_id=org.id,
                                                          user=request.user))
        except TenancyError:
            members = None
        organisations.append({"org": org, "roles": roles, "members": members})
    return render(request, "parties/mine.html", {"organisations": organisations})


def members_csv(request, organisation_id: int):
    """CSV export of the member list; 404 for anyone not allowed to see it (no existence leak)."""
    try:
        members = selectors.organisation_members(organisation_id=organisation_id,
                                                 user=request.user)
    except TenancyError as exc:
        raise Http404 from exc
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leden-{organisation_id}.csv"'
    rows = [["gebruikersnaam", "naam", "e-mail", "rol", "actief"]]
    rows += [[m.user.username, m.user.get_full_name(), m.user.email, m.role, "ja" if m.is_active else "nee"]
             for m in members]
    write_csv(response, rows, delimiter=",")
    return response
