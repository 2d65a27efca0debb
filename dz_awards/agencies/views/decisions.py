"""The join-request decision, shared by the owners' and the staff's pages."""

from django.contrib import messages

from dz_awards.agencies import selectors, services


def decide_join_request(request, *, agency, membership_pk, decision):
    """Approve or decline a pending request to join `agency`; 404 if there is none.

    The caller has already checked that the person may manage `agency`; the
    service checks again.
    """
    membership = selectors.membership_get_pending(agency, membership_pk)
    name = membership.user.full_name
    if decision == "approve":
        services.membership_approve(actor=request.user, membership=membership)
        messages.success(request, f"{name} is now a member of {agency.name}.")
    else:
        services.membership_decline(actor=request.user, membership=membership)
        messages.success(request, f"The request from {name} to join {agency.name} is declined.")
    return membership
