"""Background crediting of large group-invoice payments (django-tasks; ``jaring worker`` runs them)."""

from django_tasks import task


@task()
def credit_invoice_payment(payment_id: int) -> dict:
    from .services import credit_payment

    return credit_payment(payment_id)
