"""REST API of organisations; member lists only for the organisation's coordinators/admins."""

from django.http import Http404
from rest_framework import generics, serializers

from wijkinzicht.core.openapi import OptionalEmailField, OptionalURLField
from wijkinzicht.core.tenancy import TenancyError

from . import selectors
from .models import Membership, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    isFormal = serializers.BooleanField(source="is_formal", read_only=True)  # noqa: N815
    website = OptionalURLField(read_only=True)
    areasServed = serializers.SlugRelatedField(  # noqa: N815
        source="areas_served", many=True, read_only=True, slug_field="code")

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "isFormal", "areasServed", "website"]


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    email = OptionalEmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["username", "name", "email", "role", "is_active"]


class OrganisationListView(generics.ListAPIView):
    """All organisations (name, kind and areas are public information)."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return selectors.organisation_list()


class MemberListView(generics.ListAPIView):
    """Members of one organisation: 404 unless you coordinate or administer it."""

    serializer_class = MemberSerializer

    def get_queryset(self):
        try:
            return selectors.organisation_members(organisation_id=self.kwargs["organisation_id"],
                                                  user=self.request.user)
        except TenancyError as exc:
            raise Http404 from exc
