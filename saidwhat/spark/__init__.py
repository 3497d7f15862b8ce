"""saidwhat on Apache Spark: the extract job (:mod:`.extract`), the link job (:mod:`.link`), the
table layout and session they share (:mod:`.layout`, :mod:`.session`), and the ``spark-submit``
launcher (:mod:`.submit`). pyspark (the ``spark`` extra) is imported only when a job runs."""
