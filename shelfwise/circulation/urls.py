from django.urls import path

from shelfwise.circulation import account_views, staff_views, views

app_name = "circulation"
urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/scan/", views.scan, name="scan"),
    path("desk/done/", views.done, name="done"),
    path("desk/renew/<int:pk>/", views.renew, name="renew"),
    # A reader's own page, and the overdue list (names and counts only).
    path("account/", account_views.account, name="account"),
    path("account/loans/<int:pk>/renew/", account_views.account_renew, name="account_renew"),
    path(
        "account/holds/<int:pk>/cancel/",
        account_views.account_hold_cancel,
        name="account_hold_cancel",
    ),
    path(
        "account/notices/<int:pk>/read/",
        account_views.account_notice_read,
        name="account_notice_read",
    ),
    path("account/notices/read/", account_views.account_notices_read, name="account_notices_read"),
    path("account/history/", account_views.account_history, name="account_history"),
    # The librarian's pages: a copy's status, holds for a reader, the hold shelf.
    path("items/<int:pk>/status/", staff_views.item_status, name="item_status"),
    path("records/<int:pk>/hold/", staff_views.record_hold, name="record_hold"),
    path("holds/", staff_views.holds, name="holds"),
    path("holds/<int:pk>/cancel/", staff_views.hold_cancel_staff, name="hold_cancel"),
    path("overdue/", account_views.overdue, name="overdue"),
    path("overdue/overdue.csv", account_views.overdue_csv, name="overdue_csv"),
]
