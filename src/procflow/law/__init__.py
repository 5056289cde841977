"""The rule core: procflow's counting law as pure functions over integers.

Every engine runs this one source. The per-dossier path (:func:`procflow.evaluate`,
:func:`procflow.due_date`) calls it on Python ints, one dossier at a time, then turns the
integers back into datetimes and explanations; the columnar path (:mod:`procflow.bulk`)
calls the same functions on numpy arrays, a batch of dossiers at a time.

Nothing here knows about dates, datetimes, files or text. Instants are integer *ticks*
since 1970-01-01 00:00 local time (Vietnam time), days are indexes into a
:class:`~procflow.law.index.CalendarIndex`, and choices are small integer codes
(:mod:`procflow.law.codes`). A function is written once, branch-free, with the helpers of
:mod:`procflow.law.ops`, which accept a Python int or bool and a numpy array alike.

Modules, bottom up:

* :mod:`~procflow.law.ops`: ``where``, ``minimum``, ``maximum``, ``clip``, ``not_``, and
  ``rows``, ``some``, ``pick``, ``put`` for branches only some rows take;
* :mod:`~procflow.law.index`: the calendar as integers: working-day prefix counts,
  working-time positions, sessions;
* :mod:`~procflow.law.receipt`: effective receipt (office hours, cut-off, days off,
  Saturday reception);
* :mod:`~procflow.law.due`: the due instant by unit and counting model;
* :mod:`~procflow.law.stops`: late and out-of-window supplement requests, clock stops
  (Civil Code Art. 148 for periods), the return of unsupplemented dossiers;
* :mod:`~procflow.law.outcome`: the first-match outcome table, Decision 766 timing and
  apology timing;
* :mod:`~procflow.law.wide`: a wide row (one supplement cycle) judged start to end, the
  function both columnar engines run.
"""
