"""Operations that exist for PyTorch completeness: read the core of ``ops/`` first.

Each is a `Function` like the core ones (forward on arrays, backward in tensor
operations), and adds no idea of its own:

* ``checks``: ``isnan``, ``isclose``, ``allclose``, ``equal``;
* ``flip``, ``triangular`` (``tril``, ``triu``), ``grid`` (``outer``, ``meshgrid``);
* ``integer_division``: ``floor_divide`` (``a // b``) and ``remainder`` (``a % b``);
* ``index_plan`` (reading an index like ``x[0, 1:3, [2, 0], None]``) and
  ``index_put`` (``x[index] = value``);
* ``new`` (``x.new_zeros()``, ``type_as``), ``norm``, ``variance`` (``var``, ``std``);
* ``prod`` and ``truth_tests`` (``all``, ``any``): the reductions beside ``sum`` and ``mean``;
* ``rounding`` (``floor``, ``round``), ``scan`` (``cumsum``), ``sorting`` (``sort``, ``topk``);
* ``unary_math``: ``log1p``, ``expm1``, ``rsqrt``, ``square``.
"""
