"""Effect targets that can be measured (DESIGN.md "Effect targets and statistics").

Modules (import the one you need; statsmodels is loaded only by those that use it):

* :mod:`engine.targets.power`: sample size, achieved power, minimum detectable effect, power curve.
* :mod:`engine.targets.history`: reading a history (period, value) or a panel (period, group, value)
  from a table or a CSV file as Swedish Excel writes it.
* :mod:`engine.targets.forecast`: the baseline forecast (linear trend or Holt) with prediction intervals.
* :mod:`engine.targets.evaluation`: interrupted time series and difference-in-differences.
* :mod:`engine.targets.design`: the target design per outcome, plain-word checks and writing a design
  back into its scenario.
* :mod:`engine.targets.annex`: the target table for a contract annex (DOCX, XLSX).
* :mod:`engine.targets.charts`: plotly figures (power curve, forecast, evaluation).
"""
