from django.urls import include, path

from motcua.backoffice import views, views_accountability, views_feedback, views_forms
from motcua.portal import views_survey

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("thu-tuc/", include("motcua.backoffice.urls_catalog")),
    path("danh-gia/ma-qr/", views_survey.counter_qr_sheet, name="survey_counter_qr"),
    path("phan-anh/", views_feedback.feedback_staff_list, name="feedback"),
    path("cong-thong-tin/", views_feedback.portal_content, name="portal_content"),
    path("phan-anh/<str:code>/", views_feedback.feedback_staff_detail, name="feedback_detail"),
    path(
        "phan-anh/<str:code>/<slug:action>/",
        views_feedback.feedback_staff_action,
        name="feedback_action",
    ),
    path("thong-bao-chi-dao/", include("motcua.announcements.urls")),
    path("mau-thu/", include("motcua.letters.urls")),
    path("danh-gia-can-bo/", include("motcua.evaluation.urls")),
    path("", include("motcua.notifications.urls")),  # thong-bao/
    # Printed forms (views_forms); before the dossier pages, whose ho-so/<code>/ would
    # otherwise take "so-theo-doi" for a dossier code.
    path("ho-so/so-theo-doi/", views_forms.tracking_book_view, name="tracking_book"),
    path(
        "ho-so/<str:code>/bieu-mau/<slug:form>.pdf",
        views_forms.dossier_form_pdf,
        name="dossier_form_pdf",
    ),
    path(
        "ho-so/<str:code>/thu/<int:letter>.pdf",
        views_forms.dossier_letter_pdf,
        name="dossier_letter_pdf",
    ),
    # Accountability for delay (issue 5): explanation and apology slip.
    path(
        "ho-so/<str:code>/giai-trinh/",
        views_accountability.dossier_explain,
        name="dossier_explain",
    ),
    path(
        "ho-so/<str:code>/xin-loi/",
        views_accountability.dossier_apologise_view,
        name="dossier_apologise",
    ),
    path("", include("motcua.backoffice.urls_dossiers")),
]
