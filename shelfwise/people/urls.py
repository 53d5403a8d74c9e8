from django.urls import path

from shelfwise.people import card_views

app_name = "people"
urlpatterns = [
    path("cards/", card_views.cards, name="cards"),
]
