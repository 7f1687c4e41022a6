"""Routes of the productions API, mounted under /api/v1/ by config.api_urls."""

from rest_framework.routers import SimpleRouter

from productions.api import import_batches, notifications, organisations, transfer, views

router = SimpleRouter(use_regex_path=False)
router.register("productions", views.ProductionViewSet, basename="production")
router.register("productions/<int:production_id>/members", views.MemberViewSet, basename="member")
router.register("productions/<int:production_id>/people", views.PersonViewSet, basename="person")
router.register("productions/<int:production_id>/ai-uses", views.AIUseViewSet, basename="ai-use")
router.register("productions/<int:production_id>/consents", views.ConsentViewSet, basename="consent")
router.register("productions/<int:production_id>/imports", import_batches.ImportBatchViewSet, basename="import-batch")
router.register(
    "productions/<int:production_id>/literacy-measures", views.LiteracyMeasureViewSet, basename="literacy-measure"
)
router.register(
    "productions/<int:production_id>/invitations", organisations.ProductionInvitationViewSet, basename="invitation"
)
router.register("tools", views.ToolViewSet, basename="tool")
router.register("tool-proposals", views.ToolProposalViewSet, basename="tool-proposal")
router.register("organisations", organisations.OrganisationViewSet, basename="organisation")
router.register(
    "organisations/<int:organisation_id>/members",
    organisations.OrganisationMemberViewSet,
    basename="organisation-member",
)
router.register(
    "organisations/<int:organisation_id>/invitations",
    organisations.OrganisationInvitationViewSet,
    basename="organisation-invitation",
)

router.register(
    "organisations/<int:organisation_id>/tool-policies",
    organisations.OrganisationToolPolicyViewSet,
    basename="organisation-tool-policy",
)

router.register("notifications", notifications.NotificationViewSet, basename="notification")

urlpatterns = [*transfer.urlpatterns, *router.urls]
