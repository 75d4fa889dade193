from django.urls import path

from taizhang.api import pages

app_name = "tokens"

urlpatterns = [
    path("account/tokens/", pages.token_list, name="list"),
    path("account/tokens/<int:pk>/revoke/", pages.token_revoke, name="revoke"),
]
