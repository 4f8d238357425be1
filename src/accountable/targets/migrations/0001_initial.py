# Targets move from the goals app to their own; the table stays where it is.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('goals', '0002_targets_goals_okrs'),  # which made the table
        ('org', '0003_time_off'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='Target',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('metric', models.CharField(choices=[('revenue', 'Revenue (won amount)'), ('units', 'Units sold'), ('new_accounts', 'New accounts'), ('renewals', 'Renewals'), ('revenue_growth', 'Revenue growth vs last year'), ('deals_won', 'Deals won'), ('win_rate', 'Win rate'), ('avg_deal_size', 'Average deal size'), ('cycle_days', 'Sales cycle length'), ('pipeline_created', 'Pipeline created'), ('opportunities_created', 'Opportunities created'), ('calls', 'Calls'), ('emails', 'E-mails'), ('meetings', 'Meetings booked'), ('first_meetings', 'First meetings'), ('second_meetings', 'Second meetings'), ('prospecting_activities', 'Prospecting activities'), ('custom', 'Custom (entered by hand)')], max_length=40)),
                            ('period', models.CharField(max_length=12)),
                            ('period_start', models.DateField()),
                            ('period_end', models.DateField()),
                            ('product_line', models.CharField(blank=True, default='', max_length=100)),
                            ('deal_type', models.CharField(blank=True, default='', max_length=16)),
                            ('value', models.DecimalField(decimal_places=2, max_digits=16)),
                            ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                            ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='targets', to=settings.AUTH_USER_MODEL)),
                            ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='org.team')),
                        ],
                        options={
                            'db_table': 'goals_target',
                            'ordering': ['period_start', 'metric'],
                            'indexes': [models.Index(fields=['metric', 'period_start', 'period_end'], name='goals_targe_metric_797e24_idx')],
                            'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('person__isnull', False), ('team__isnull', True)), models.Q(('person__isnull', True), ('team__isnull', False)), _connector='OR'), name='target_has_one_owner'), models.UniqueConstraint(condition=models.Q(('person__isnull', False)), fields=('person', 'metric', 'period', 'product_line', 'deal_type'), name='one_target_per_person_metric_period'), models.UniqueConstraint(condition=models.Q(('team__isnull', False)), fields=('team', 'metric', 'period', 'product_line', 'deal_type'), name='one_target_per_team_metric_period')],
                        },
                    ),
            ],
            database_operations=[],
        ),
    ]
