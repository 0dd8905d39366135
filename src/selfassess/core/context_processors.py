from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict:
    return {"product_name": settings.PRODUCT_NAME}
