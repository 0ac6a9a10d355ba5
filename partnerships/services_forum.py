"""Declaring and removing ties (forvaltningsloven § 6). Who may: Tie.objects.editable_by."""

from django.db import transaction

from .models import Tie


@transaction.atomic
def tie_declare(*, user, description, organisation=None, partnership=None):
    return Tie.objects.create(
        user=user, organisation=organisation, partnership=partnership, description=description
    )


@transaction.atomic
def tie_remove(*, tie):
    tie.delete()
