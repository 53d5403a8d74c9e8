from django.urls import path

from shelfwise.instruction import calendar_views, views

app_name = "instruction"
urlpatterns = [
    path("", views.collaboration_list, name="list"),
    path("new/", views.collaboration_new, name="new"),
    path("<int:pk>/", views.collaboration_detail, name="detail"),
    path("<int:pk>/edit/", views.collaboration_edit, name="edit"),
    path("<int:pk>/status/", views.collaboration_transition, name="transition"),
    path("<int:pk>/plan/", views.plan_save, name="plan"),
    path("<int:pk>/plan/history/", views.plan_history, name="plan_history"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/people/", views.participant_add, name="participant_add"),
    path("<int:pk>/reflection/", views.reflection_save, name="reflection"),
    path("library/", views.librarian_overview, name="overview"),
    path("standards/", views.standards_manage, name="standards"),
    path("standards/taught/", views.standards_report, name="standards_report"),
    path("notifications/", views.notifications, name="notifications"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/book/", calendar_views.booking_new, name="booking_new"),
    path("calendar/bookings/<int:pk>/", calendar_views.booking_detail, name="booking"),
    path(
        "calendar/bookings/<int:pk>/cancel/", calendar_views.booking_cancel, name="booking_cancel"
    ),
    path("calendar/spaces/", calendar_views.spaces, name="spaces"),
    path("calendar/feeds/", calendar_views.feed_settings, name="feeds"),
    path("calendar/feeds/reset/", calendar_views.feed_reset, name="feed_reset"),
    path("calendar/feeds/<str:token>.ics", calendar_views.feed, name="feed"),
]
