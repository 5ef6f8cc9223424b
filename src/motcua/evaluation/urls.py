"""URLs under ``/can-bo/danh-gia-can-bo/``, included into the ``backoffice`` namespace."""

from django.urls import path

from motcua.evaluation import views

urlpatterns = [
    path("", views.home, name="evaluation"),
    path("mo-ky/", views.cycle_open_view, name="evaluation_cycle_open"),
    path("ky/<int:pk>/", views.cycle_detail, name="evaluation_cycle"),
    path("ky/<int:pk>/chot/", views.cycle_close_view, name="evaluation_cycle_close"),
    path("ky/<int:pk>/mo-lai/", views.cycle_reopen_view, name="evaluation_cycle_reopen"),
    path(
        "ky/<int:pk>/xuat-sac/", views.cycle_exceptional_view, name="evaluation_cycle_exceptional"
    ),
    path("ky/<int:pk>/tong-hop.pdf", views.cycle_summary_pdf, name="evaluation_cycle_pdf"),
    path("ky/<int:pk>/tong-hop.xlsx", views.cycle_summary_xlsx, name="evaluation_cycle_xlsx"),
    path("phieu/<int:pk>/", views.sheet_detail, name="evaluation_sheet"),
    path("phieu/<int:pk>/tu-danh-gia/", views.sheet_self_view, name="evaluation_sheet_self"),
    path("phieu/<int:pk>/nhan-xet/", views.sheet_review_view, name="evaluation_sheet_review"),
    path("phieu/<int:pk>/quyet-dinh/", views.sheet_decide_view, name="evaluation_sheet_decide"),
    path(
        "phieu/<int:pk>/cap-nhat-so-lieu/",
        views.sheet_refresh_view,
        name="evaluation_sheet_refresh",
    ),
    path("phieu/<int:pk>/so-lieu/<slug:figure>/", views.sheet_figure, name="evaluation_figure"),
    path("phieu/<int:pk>/de-nghi/", views.dispute_open_view, name="evaluation_dispute_open"),
    path(
        "de-nghi/<int:pk>/giai-quyet/",
        views.dispute_resolve_view,
        name="evaluation_dispute_resolve",
    ),
    path("phieu/<int:pk>/phieu.pdf", views.sheet_pdf, name="evaluation_sheet_pdf"),
    path("phieu/<int:pk>/phieu.xlsx", views.sheet_xlsx, name="evaluation_sheet_xlsx"),
    path("tong-hop/", views.summary_view, name="evaluation_summary"),
    path("bo-tieu-chi/", views.scheme_list_view, name="evaluation_schemes"),
    path("bo-tieu-chi/<int:pk>/", views.scheme_detail, name="evaluation_scheme"),
    path("ke-hoach/", views.plan_list, name="evaluation_plans"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="evaluation_plan"),
    path("nhiem-vu/<int:pk>/", views.task_update, name="evaluation_task"),
]
