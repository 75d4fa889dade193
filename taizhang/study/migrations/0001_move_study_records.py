"""The study records' models move here from the ledger and campaigns apps. Only Django's
record of the models moves: the tables keep their names (`db_table`) and their rows, so no
data is touched (ledger 0010 and campaigns 0004 drop the old apps' record of them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0003_explain_constraints'),
        ('ledger', '0009_explain_constraints'),
        ('orgs', '0005_explain_constraints'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Reading',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, verbose_name='code')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('category', models.CharField(choices=[('required', 'Required title'), ('supplementary', 'Supplementary material'), ('constitution', 'Party Constitution and rules')], max_length=20, verbose_name='category')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='readings', to='campaigns.campaign')),
            ],
            options={
                'verbose_name': 'required reading',
                'verbose_name_plural': 'required reading',
                'db_table': 'campaigns_reading',
                'ordering': ['campaign', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReadingSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='session number')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('starts_on', models.DateField(verbose_name='starts on')),
                ('ends_on', models.DateField(verbose_name='ends on')),
                ('topics', models.JSONField(default=list, verbose_name='topics')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reading_sessions', to='campaigns.campaign')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.org', verbose_name='organised by')),
                ('trainees', models.ManyToManyField(blank=True, related_name='reading_sessions', to='orgs.person', verbose_name='trainees')),
            ],
            options={
                'verbose_name': 'reading class session',
                'verbose_name_plural': 'reading class sessions',
                'db_table': 'ledger_readingsession',
                'ordering': ['starts_on', 'number', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReadingRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('finished_on', models.DateField(verbose_name='finished on')),
                ('notes', models.TextField(blank=True, verbose_name='reading notes')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='readings', to='orgs.person', verbose_name='cadre')),
                ('reading', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='study.reading', verbose_name='title')),
            ],
            options={
                'verbose_name': 'reading record',
                'verbose_name_plural': 'reading records',
                'db_table': 'ledger_readingrecord',
                'ordering': ['person__code', 'reading__position'],
            },
        ),
        migrations.CreateModel(
            name='RoleModel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('story', models.TextField(verbose_name='story')),
                ('shared_on', models.DateField(verbose_name='shared on')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='role_models', to='campaigns.campaign')),
                ('honoured_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.org', verbose_name='organisation')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='role_models', to='orgs.org', verbose_name='presented by')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.person', verbose_name='person')),
            ],
            options={
                'verbose_name': 'role model',
                'verbose_name_plural': 'role models',
                'db_table': 'ledger_rolemodel',
                'ordering': ['-shared_on', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='reading',
            constraint=models.UniqueConstraint(fields=('campaign', 'code'), name='unique_reading_code'),
        ),
        migrations.AddConstraint(
            model_name='readingsession',
            constraint=models.UniqueConstraint(fields=('campaign', 'org', 'number'), name='unique_reading_session_number'),
        ),
        migrations.AddConstraint(
            model_name='readingsession',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='reading_session_dates_in_order', violation_error_message='The end date must not be before the start date.'),
        ),
        migrations.AddConstraint(
            model_name='readingrecord',
            constraint=models.UniqueConstraint(fields=('person', 'reading'), name='unique_reading_record'),
        ),
        migrations.AddConstraint(
            model_name='rolemodel',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('honoured_org__isnull', True), ('person__isnull', False)), models.Q(('honoured_org__isnull', False), ('person__isnull', True)), _connector='OR'), name='role_model_person_or_org', violation_error_message='A role model is either a person or an organisation, not both.'),
        ),
        migrations.AddConstraint(
            model_name='rolemodel',
            constraint=models.CheckConstraint(condition=models.Q(('story', ''), _negated=True), name='role_model_has_story', violation_error_message='A role model needs its story.'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
