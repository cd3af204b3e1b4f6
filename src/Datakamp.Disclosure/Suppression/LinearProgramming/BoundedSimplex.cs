using System.Numerics;

namespace Datakamp.Disclosure.Suppression.LinearProgramming;

/// <summary>
/// Dense-tableau primal simplex for <see cref="LinearProgram"/>s with bounded (possibly free) variables.
/// </summary>
/// <remarks>
/// <para>Method: two-phase bounded-variable simplex. Phase 1 starts from a given point (nonbasic variables
/// may sit strictly between their bounds, like free variables) and one artificial per row carrying the
/// residual; rows are sign-flipped so every artificial starts non-negative. An artificial that leaves the
/// basis is dropped for good (it leaves at its only bound, zero), so the tableau holds only structural
/// columns. Phase 2 minimises the objective with the remaining (degenerate) artificials fixed at zero.</para>
/// <para>Pricing is Dantzig's largest reduced cost; after a long run (1000) of degenerate pivots the solver switches to
/// Bland's smallest-index rule (entering and leaving), which cannot cycle, and switches back after progress.</para>
/// <para>The instance keeps its feasible basis between calls of <see cref="Minimize"/>, so a sequence of
/// objectives over the same polytope (e.g. min and max of every unknown) is solved with warm starts.</para>
/// </remarks>
public sealed class BoundedSimplex
{
    private const double PivotTolerance = 1e-9;
    private const double OptimalityTolerance = 1e-9;
    private const double DropTolerance = 1e-12;
    private const int DegenerateRunBeforeBland = 1000;

    private readonly LinearProgram _lp;
    private readonly int _m;
    private readonly int _n;
    private readonly double[][] _t;
    private readonly int[] _basis;
    private readonly int[] _rowOf;
    private readonly double[] _artificial;
    private readonly double[] _x;
    private readonly double[] _d;
    private readonly double[] _lo;
    private readonly double[] _up;
    private readonly double _tolerance;
    private readonly int _maxIterations;
    private bool _phase1Done;
    private bool _infeasible;

    /// <summary>Prepares the tableau. <paramref name="start"/> (optional) gives starting values within the bounds.</summary>
    public BoundedSimplex(LinearProgram lp, IReadOnlyList<double>? start = null, int? maxIterations = null)
    {
        ArgumentNullException.ThrowIfNull(lp);
        _lp = lp;
        _m = lp.Constraints.Count;
        _n = lp.VariableCount;
        _lo = (double[])lp.Lower.Clone();
        _up = (double[])lp.Upper.Clone();
        _x = new double[_n];
        _d = new double[_n];
        _rowOf = new int[_n];
        Array.Fill(_rowOf, -1);
        _basis = new int[_m];
        Array.Fill(_basis, -1);
        _artificial = new double[_m];
        _t = new double[_m][];
        _maxIterations = maxIterations ?? (50 * (_m + _n)) + 1000;

        var scale = 1.0;
        for (var j = 0; j < _n; j++)
        {
            double v;
            if (start is not null)
            {
                v = start[j];
                if (!double.IsFinite(v) || v < _lo[j] || v > _up[j])
                {
                    throw new ArgumentException($"Start value {v} of variable {j} is outside [{_lo[j]}, {_up[j]}].", nameof(start));
                }
            }
            else
            {
                v = double.IsFinite(_lo[j]) ? _lo[j] : double.IsFinite(_up[j]) ? _up[j] : 0.0;
            }

            _x[j] = v;
            scale = Math.Max(scale, Math.Abs(v));
            if (double.IsFinite(_lo[j]))
            {
                scale = Math.Max(scale, Math.Abs(_lo[j]));
            }

            if (double.IsFinite(_up[j]))
            {
                scale = Math.Max(scale, Math.Abs(_up[j]));
            }
        }

        for (var i = 0; i < _m; i++)
        {
            var c = lp.Constraints[i];
            var row = new double[_n];
            var residual = c.RightHandSide;
            scale = Math.Max(scale, Math.Abs(c.RightHandSide));
            for (var k = 0; k < c.Count; k++)
            {
                row[c.Variables[k]] = c.Coefficients[k];
                residual -= c.Coefficients[k] * _x[c.Variables[k]];
            }

            if (residual < 0)
            {
                for (var k = 0; k < c.Count; k++)
                {
                    row[c.Variables[k]] = -row[c.Variables[k]];
                }

                residual = -residual;
            }

            _t[i] = row;
            _artificial[i] = residual;
        }

        _tolerance = 1e-9 * scale;
    }

    /// <summary>Total simplex iterations performed so far (for diagnostics and tests).</summary>
    public int Iterations { get; private set; }

    /// <summary>Minimises <c>cost · x</c> over the polytope, starting from the current basis.</summary>
    public LpResult Minimize(IReadOnlyList<double> cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Count != _n)
        {
            throw new ArgumentException("Cost vector length differs from the variable count.", nameof(cost));
        }

        if (!_phase1Done)
        {
            var status = RunPhase1();
            if (status != LpStatus.Optimal)
            {
                return new LpResult(status, double.NaN, []);
            }
        }

        if (_infeasible)
        {
            return new LpResult(LpStatus.Infeasible, double.NaN, []);
        }

        // Reduced costs d = c - c_B^T B^-1 A (artificials cost nothing in phase 2).
        for (var j = 0; j < _n; j++)
        {
            _d[j] = cost[j];
        }

        for (var i = 0; i < _m; i++)
        {
            var b = _basis[i];
            if (b >= 0 && cost[b] != 0)
            {
                Axpy(_d, _t[i], -cost[b]);
            }
        }

        var result = Iterate(phase1: false);
        if (result != LpStatus.Optimal)
        {
            return new LpResult(result, result == LpStatus.Unbounded ? double.NegativeInfinity : double.NaN, []);
        }

        if (!ResidualOk())
        {
            return new LpResult(LpStatus.NumericalFailure, double.NaN, []);
        }

        var objective = 0.0;
        for (var j = 0; j < _n; j++)
        {
            objective += cost[j] * _x[j];
        }

        return new LpResult(LpStatus.Optimal, objective, (double[])_x.Clone());
    }

    private LpStatus RunPhase1()
    {
        _phase1Done = true;
        Array.Clear(_d);
        for (var i = 0; i < _m; i++)
        {
            if (_basis[i] < 0)
            {
                Axpy(_d, _t[i], -1.0);
            }
        }

        var status = Iterate(phase1: true);
        if (status != LpStatus.Optimal)
        {
            _infeasible = status == LpStatus.Infeasible;
            return status;
        }

        var infeasibility = 0.0;
        for (var i = 0; i < _m; i++)
        {
            if (_basis[i] < 0)
            {
                infeasibility += _artificial[i];
            }
        }

        if (infeasibility > 100 * _tolerance * Math.Max(1, _m))
        {
            _infeasible = true;
            return LpStatus.Infeasible;
        }

        Array.Clear(_artificial);
        return LpStatus.Optimal;
    }

    private LpStatus Iterate(bool phase1)
    {
        var degenerateRun = 0;
        while (true)
        {
            if (++Iterations > _maxIterations)
            {
                return LpStatus.IterationLimit;
            }

            var bland = degenerateRun >= DegenerateRunBeforeBland;
            var (q, dir) = ChooseEntering(bland);
            if (q < 0)
            {
                return LpStatus.Optimal;
            }

            var (step, row, leavingValue) = RatioTest(q, dir, phase1, bland);
            if (double.IsPositiveInfinity(step))
            {
                // Phase 1 is bounded below by zero, so this only happens in phase 2.
                return LpStatus.Unbounded;
            }

            degenerateRun = step > _tolerance ? 0 : degenerateRun + 1;
            if (step > 0)
            {
                var delta = dir * step;
                _x[q] += delta;
                for (var i = 0; i < _m; i++)
                {
                    var a = _t[i][q];
                    if (a == 0)
                    {
                        continue;
                    }

                    var b = _basis[i];
                    if (b >= 0)
                    {
                        _x[b] -= delta * a;
                    }
                    else
                    {
                        _artificial[i] -= delta * a;
                    }
                }
            }

            if (row < 0)
            {
                // Bound flip: the entering variable reached its own opposite bound.
                _x[q] = dir > 0 ? _up[q] : _lo[q];
                continue;
            }

            var leaving = _basis[row];
            if (leaving >= 0)
            {
                _x[leaving] = leavingValue;
                _rowOf[leaving] = -1;
            }
            else
            {
                _artificial[row] = 0;
            }

            Pivot(row, q);
            _basis[row] = q;
            _rowOf[q] = row;
        }
    }

    private (int Column, int Direction) ChooseEntering(bool bland)
    {
        var best = -1;
        var bestDir = 0;
        var bestScore = 0.0;
        for (var j = 0; j < _n; j++)
        {
            if (_rowOf[j] >= 0)
            {
                continue;
            }

            var dj = _d[j];
            int dir;
            if (dj < -OptimalityTolerance && _x[j] < _up[j])
            {
                dir = 1;
            }
            else if (dj > OptimalityTolerance && _x[j] > _lo[j])
            {
                dir = -1;
            }
            else
            {
                continue;
            }

            if (bland)
            {
                return (j, dir);
            }

            var score = Math.Abs(dj);
            if (score > bestScore)
            {
                bestScore = score;
                best = j;
                bestDir = dir;
            }
        }

        return (best, bestDir);
    }

    private (double Step, int Row, double LeavingValue) RatioTest(int q, int dir, bool phase1, bool bland)
    {
        var step = dir > 0 ? _up[q] - _x[q] : _x[q] - _lo[q];
        var row = -1;
        var leavingValue = 0.0;
        var bestPivot = 0.0;
        var bestIndex = int.MaxValue;
        for (var i = 0; i < _m; i++)
        {
            var a = _t[i][q];
            if (Math.Abs(a) < PivotTolerance)
            {
                continue;
            }

            var alpha = -dir * a;
            var b = _basis[i];
            double value, lo, up;
            if (b >= 0)
            {
                value = _x[b];
                lo = _lo[b];
                up = _up[b];
            }
            else
            {
                value = _artificial[i];
                lo = 0;
                up = phase1 ? double.PositiveInfinity : 0;
            }

            double limit, bound;
            if (alpha > 0)
            {
                if (double.IsPositiveInfinity(up))
                {
                    continue;
                }

                bound = up;
                limit = (up - value) / alpha;
            }
            else
            {
                if (double.IsNegativeInfinity(lo))
                {
                    continue;
                }

                bound = lo;
                limit = (lo - value) / alpha;
            }

            if (limit < 0)
            {
                limit = 0;
            }

            var index = b >= 0 ? b : _n + i;
            bool better;
            if (double.IsPositiveInfinity(step))
            {
                better = true;
            }
            else
            {
                var tieTolerance = 1e-12 * (1 + Math.Abs(step));
                if (limit < step - tieTolerance)
                {
                    better = true;
                }
                else if (row >= 0 && limit <= step + tieTolerance)
                {
                    // Ties: Bland takes the smallest index (anti-cycling); otherwise the largest pivot (stability).
                    better = bland ? index < bestIndex : Math.Abs(a) > bestPivot;
                }
                else
                {
                    better = false;
                }
            }

            if (better)
            {
                step = limit;
                row = i;
                leavingValue = bound;
                bestPivot = Math.Abs(a);
                bestIndex = index;
            }
        }

        return (step, row, leavingValue);
    }

    private void Pivot(int r, int q)
    {
        var pivotRow = _t[r];
        var inv = 1.0 / pivotRow[q];
        var nonZero = new List<int>();
        for (var k = 0; k < _n; k++)
        {
            var v = pivotRow[k] * inv;
            if (Math.Abs(v) < DropTolerance)
            {
                v = 0;
            }

            pivotRow[k] = v;
            if (v != 0)
            {
                nonZero.Add(k);
            }
        }

        pivotRow[q] = 1.0;
        var dense = nonZero.Count * 4 > _n;
        var indices = nonZero.ToArray();
        for (var i = 0; i < _m; i++)
        {
            if (i == r)
            {
                continue;
            }

            var row = _t[i];
            var f = row[q];
            if (f == 0)
            {
                continue;
            }

            if (dense)
            {
                Axpy(row, pivotRow, -f);
            }
            else
            {
                foreach (var k in indices)
                {
                    row[k] -= f * pivotRow[k];
                }
            }

            row[q] = 0;
        }

        var fd = _d[q];
        if (fd != 0)
        {
            foreach (var k in indices)
            {
                _d[k] -= fd * pivotRow[k];
            }

            _d[q] = 0;
        }
    }

    private bool ResidualOk()
    {
        foreach (var c in _lp.Constraints)
        {
            var s = -c.RightHandSide;
            for (var k = 0; k < c.Count; k++)
            {
                s += c.Coefficients[k] * _x[c.Variables[k]];
            }

            if (Math.Abs(s) > 1e3 * _tolerance)
            {
                return false;
            }
        }

        for (var j = 0; j < _n; j++)
        {
            if (_x[j] < _lo[j] - 1e3 * _tolerance || _x[j] > _up[j] + 1e3 * _tolerance)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>y += a * x, vectorised.</summary>
    private static void Axpy(double[] y, double[] x, double a)
    {
        var k = 0;
        var width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            for (; k <= y.Length - width; k += width)
            {
                var vy = new Vector<double>(y, k);
                var vx = new Vector<double>(x, k);
                (vy + (va * vx)).CopyTo(y, k);
            }
        }

        for (; k < y.Length; k++)
        {
            y[k] += a * x[k];
        }
    }
}
