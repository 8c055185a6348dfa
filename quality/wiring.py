"""What quality plugs into the apps below it, called once from QualityConfig.ready().

reports and training sit below quality and may not import it, so they own small registries
that quality fills here: the blind rule of second reviews hides reports (reports.permissions)
and the practice questions made from them (training.selectors); the volunteer's accuracy, kept
in quality's counter rows, is shown on reports' pages (reports.selectors); the dashboard's
numbers are filters of the admin's report list (reports.figures); and the counter rows
of a person are part of their data export (spotter.privacy).
"""

from reports.permissions import register_report_visibility_filter
from reports.selectors import register_volunteer_figure
from spotter.privacy import PersonalData, register_personal_data
from training.selectors import register_question_visibility_filter

from . import report_figures
from .blind import hidden_blind_report_ids
from .selectors import volunteer_accuracy


def register() -> None:
    register_report_visibility_filter(hidden_blind_report_ids)
    register_question_visibility_filter(hidden_blind_report_ids)
    register_volunteer_figure("accuracy", volunteer_accuracy)
    # Each dashboard number links to the admin's list of its reports (reports.figures).
    report_figures.register()
    # Counter rows and second reviews stay when an account closes: the figures must not change.
    register_personal_data(PersonalData(app_label="quality"))
