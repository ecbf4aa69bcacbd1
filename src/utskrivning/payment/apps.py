from django.apps import AppConfig


class PaymentConfig(AppConfig):
    name = "utskrivning.payment"
