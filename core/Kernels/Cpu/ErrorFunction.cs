namespace DistGrad.Kernels.Cpu;

/// <summary>
/// erf and erfc in double precision by W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev
/// approximations for the error function", Math. Comp. 23 (1969) 631-637; coefficients of his CALERF, 1985):
/// erf(x) = x·P(x²)/Q(x²) for |x| ≤ 0.46875; erfc(x) = exp(-x²)·P(x)/Q(x) for 0.46875 &lt; |x| ≤ 4; and
/// erfc(x) = exp(-x²)/x·(1/√π − R(1/x²)/x²) beyond. exp(-x²) is evaluated as exp(-z²)·exp(-(x−z)(x+z)) with z
/// x rounded down to a multiple of 1/16, so that x² carries no rounding error into the exponential. Errors
/// are within a few units in the last place; float32 results are these rounded once.
/// </summary>
internal static class ErrorFunction
{
    private const double Threshold = 0.46875;
    private const double InvSqrtPi = 5.6418958354775628695e-1;

    /// <summary>Below this, x² underflows the first-interval polynomial's precision: erf(x) = x·2/√π.</summary>
    private const double XSmall = 1.11e-16;

    /// <summary>Beyond this, erfc(x) underflows to 0 in double.</summary>
    private const double XBig = 26.543;

    // erf(x) = x·(A0·x⁸ + A1·x⁶ + ...)/(...) on [0, 0.46875], in Horner form over x² (A4 is the leading coefficient).
    private const double A0 = 3.16112374387056560e00;
    private const double A1 = 1.13864154151050156e02;
    private const double A2 = 3.77485237685302021e02;
    private const double A3 = 3.20937758913846947e03;
    private const double A4 = 1.85777706184603153e-1;
    private const double B0 = 2.36012909523441209e01;
    private const double B1 = 2.44024637934444173e02;
    private const double B2 = 1.28261652607737228e03;
    private const double B3 = 2.84423683343917062e03;

    // erfc(x)·exp(x²) on (0.46875, 4]: C8 leads the numerator, D has an implicit leading 1.
    private const double C0 = 5.64188496988670089e-1;
    private const double C1 = 8.88314979438837594e0;
    private const double C2 = 6.61191906371416295e01;
    private const double C3 = 2.98635138197400131e02;
    private const double C4 = 8.81952221241769090e02;
    private const double C5 = 1.71204761263407058e03;
    private const double C6 = 2.05107837782607147e03;
    private const double C7 = 1.23033935479799725e03;
    private const double C8 = 2.15311535474403846e-8;
    private const double D0 = 1.57449261107098347e01;
    private const double D1 = 1.17693950891312499e02;
    private const double D2 = 5.37181101862009858e02;
    private const double D3 = 1.62138957456669019e03;
    private const double D4 = 3.29079923573345963e03;
    private const double D5 = 4.36261909014324716e03;
    private const double D6 = 3.43936767414372164e03;
    private const double D7 = 1.23033935480374942e03;

    // The asymptotic correction R(1/x²) for x > 4: P5 leads the numerator, Q has an implicit leading 1.
    private const double P0 = 3.05326634961232344e-1;
    private const double P1 = 3.60344899949804439e-1;
    private const double P2 = 1.25781726111229246e-1;
    private const double P3 = 1.60837851487422766e-2;
    private const double P4 = 6.58749161529837803e-4;
    private const double P5 = 1.63153871373020978e-2;
    private const double Q0 = 2.56852019228982242e00;
    private const double Q1 = 1.87295284992346047e00;
    private const double Q2 = 5.27905102951428412e-1;
    private const double Q3 = 6.05183413124413191e-2;
    private const double Q4 = 2.33520497626869185e-3;

    public static double Erf(double x)
    {
        var y = Math.Abs(x);
        if (y <= Threshold)
        {
            return x * SmallRatio(y);
        }

        if (double.IsNaN(x))
        {
            return x;
        }

        var result = (0.5 - ErfcPositive(y)) + 0.5;
        return x < 0 ? -result : result;
    }

    public static double Erfc(double x)
    {
        var y = Math.Abs(x);
        if (y <= Threshold)
        {
            return 1 - (x * SmallRatio(y));
        }

        if (double.IsNaN(x))
        {
            return x;
        }

        var result = ErfcPositive(y);
        return x < 0 ? 2 - result : result;
    }

    public static float Erf(float x) => (float)Erf((double)x);

    /// <summary>erf(y)/y for 0 ≤ y ≤ 0.46875.</summary>
    private static double SmallRatio(double y)
    {
        var ysq = y > XSmall ? y * y : 0;
        var num = (((((((A4 * ysq) + A0) * ysq) + A1) * ysq) + A2) * ysq) + A3;
        var den = ((((((ysq + B0) * ysq) + B1) * ysq) + B2) * ysq) + B3;
        return num / den;
    }

    /// <summary>erfc(y) for y &gt; 0.46875 (NaN excluded).</summary>
    private static double ErfcPositive(double y)
    {
        double scaled;
        if (y <= 4)
        {
            var num = C8 * y;
            var den = y;
            num = (num + C0) * y;
            den = (den + D0) * y;
            num = (num + C1) * y;
            den = (den + D1) * y;
            num = (num + C2) * y;
            den = (den + D2) * y;
            num = (num + C3) * y;
            den = (den + D3) * y;
            num = (num + C4) * y;
            den = (den + D4) * y;
            num = (num + C5) * y;
            den = (den + D5) * y;
            num = (num + C6) * y;
            den = (den + D6) * y;
            scaled = (num + C7) / (den + D7);
        }
        else
        {
            if (y >= XBig)
            {
                return 0;
            }

            var ysq = 1 / (y * y);
            var num = P5 * ysq;
            var den = ysq;
            num = (num + P0) * ysq;
            den = (den + Q0) * ysq;
            num = (num + P1) * ysq;
            den = (den + Q1) * ysq;
            num = (num + P2) * ysq;
            den = (den + Q2) * ysq;
            num = (num + P3) * ysq;
            den = (den + Q3) * ysq;
            var r = ysq * (num + P4) / (den + Q4);
            scaled = (InvSqrtPi - r) / y;
        }

        // exp(-y²) without the rounding error of y·y: z has at most 4 fractional bits, so z·z is exact.
        var z = Math.Truncate(y * 16) / 16;
        var del = (y - z) * (y + z);
        return Math.Exp(-z * z) * Math.Exp(-del) * scaled;
    }
}
