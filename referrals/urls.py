from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("referrals/", views.referral_list, name="list"),
    path("referrals/partners/", views.partners, name="partners"),
    path("referrals/partners/new/", views.partner_create, name="partner_create"),
    path("referrals/partners/<int:partner_id>/", views.partner_edit, name="partner_edit"),
    path(
        "referrals/partners/<int:partner_id>/rotate-secret/",
        views.partner_rotate_secret,
        name="partner_rotate_secret",
    ),
    path("referrals/<int:referral_id>/outcome/", views.record_outcome, name="record_outcome"),
    path(
        "referrals/deliveries/<int:delivery_id>/retry/",
        views.retry_delivery,
        name="retry_delivery",
    ),
    path("referrals/no-route/", views.unrouted_list, name="unrouted"),
    path("referrals/no-route/route-again/", views.reroute, name="reroute"),
    path("referrals/domains/", views.domain_tool, name="domain_tool"),
    path("referrals/domains/apply/", views.domain_apply, name="domain_apply"),
    # The partner's links (no account): the signed, expiring token is the permission.
    path("r/outcome/<token:outcome_token>/", views.partner_outcome, name="partner_outcome"),
    path("r/package/<token:package_token>/", views.partner_package, name="partner_package"),
]
