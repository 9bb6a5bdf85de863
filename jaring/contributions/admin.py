from django.contrib import admin

from .models import ContributionDiscount, ContributionRate, IncomeBand

admin.site.register(ContributionRate, list_display=("program", "basis", "value", "valid_from", "valid_to"))
admin.site.register(IncomeBand, list_display=("minimum", "maximum", "valid_from", "valid_to"))
admin.site.register(ContributionDiscount, list_display=("name", "percent_bp", "from_month", "to_month"))
