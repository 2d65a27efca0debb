"""Demo accounts and agencies, made through the account and agency services."""

from base64 import b32decode

from django.contrib.auth import get_user_model

from dz_awards.accounts import services as account_services
from dz_awards.accounts import two_factor
from dz_awards.agencies import services as agency_services
from dz_awards.agencies.models import Agency


def demo_account(*, email, full_name, job_title, password):
    """The account with `email`; a new one registers and follows its emailed link.

    An existing account is returned as it is, so a password changed since the
    last run is kept.
    """
    users = get_user_model().objects
    user = users.filter(email__iexact=email).first()
    if user is not None:
        return user
    account_services.account_register(email=email, full_name=full_name, job_title=job_title)
    # The link emailed at registration proves the address and sets the password.
    return account_services.account_set_password(
        user=users.get(email__iexact=email), password=password
    )


def demo_two_factor(*, user, secret, backup_codes):
    """Give a demo staff login its published authenticator secret and backup codes.

    `secret` is base32, as printed for an authenticator app. An account that
    already has a device (set up again by hand since) keeps it.
    """
    two_factor.two_factor_install_demo(
        user=user, key_hex=b32decode(secret).hex(), backup_codes=backup_codes
    )


def demo_agency(*, owner, name, kind, state, city, sworn, civilians, ori, verified_by=None):
    """The agency called `name` in `state`; a new one is created by `owner`, who owns it.

    `verified_by` (program staff) verifies a new agency; one found is left as it is.
    """
    agency = Agency.objects.filter(name=name, state=state).first()
    if agency is not None:
        return agency
    agency = agency_services.agency_create(
        user=owner,
        name=name,
        agency_type=kind,
        state=state,
        city=city,
        sworn_officers=sworn,
        civilian_staff=civilians,
        ori=ori,
        website="https://www.example.org/",
        contact_name=owner.full_name,
        contact_title=owner.job_title,
        contact_email=owner.email,
    )
    if verified_by is not None:
        agency = agency_services.agency_verify(actor=verified_by, agency=agency)
    return agency


def demo_agencies_of_owners(specs, *, staff, password):
    """{name: agency} for agency specs that name their owner (`owner_email`, `owner_name`,
    `owner_title`): each owner signs up with `password` and creates the agency, which
    `staff` verifies; agencies found are left as they are."""
    agencies = {}
    for spec in specs:
        owner = demo_account(
            email=spec.owner_email,
            full_name=spec.owner_name,
            job_title=spec.owner_title,
            password=password,
        )
        agencies[spec.name] = demo_agency(
            owner=owner,
            name=spec.name,
            kind=spec.kind,
            state=spec.state,
            city=spec.city,
            sworn=spec.sworn,
            civilians=spec.civilians,
            ori=spec.ori,
            verified_by=staff,
        )
    return agencies
