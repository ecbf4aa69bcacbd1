"""Follow-up (issue #4): the agreed indicators as dashboards, and the steering group's report.

The figures come from `domain.indicators` run on the service's own episodes (`episode_frame`);
the payment summary from the engine under the region's rulebook and, for comparison, the others.
"""
