using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FeatureMaps.MLNet;

/// <summary>
/// Argument checks for public entry points. The checks are small enough to inline; the throws live in
/// separate non-inlined helpers so the exception-building code stays out of the callers' hot paths.
/// </summary>
internal static class Guard
{
    public static void NotNull([NotNull] object? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value is null)
            ThrowNull(paramName);
    }

    public static void NotNullOrEmpty([NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (string.IsNullOrEmpty(value))
            ThrowNullOrEmpty(value, paramName);
    }

    public static void Positive(long value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= 0)
            ThrowNotPositive(value, paramName);
    }

    public static void InRange(int value, int min, int max, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < min || value > max)
            ThrowNotInRange(value, min, max, paramName);
    }

    /// <summary>Checks a condition that a plain range cannot express; <paramref name="message"/> should be a constant so the valid path allocates nothing.</summary>
    public static void IsTrue<T>(bool condition, T value, string message, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!condition)
            ThrowOutOfRange(value, message, paramName);
    }

    /// <summary>Checks that a buffer holds exactly <paramref name="expected"/> elements; <paramref name="shape"/> names how that count is made (e.g. "height * width").</summary>
    public static void LengthEquals(int actual, long expected, string shape, string paramName)
    {
        if (actual != expected)
            ThrowWrongLength(actual, expected, shape, paramName);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNull(string? paramName) => throw new ArgumentNullException(paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNullOrEmpty(string? value, string? paramName)
    {
        if (value is null)
            throw new ArgumentNullException(paramName);
        throw new ArgumentException("The value cannot be an empty string.", paramName);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotPositive(long value, string? paramName) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be positive, but was {value}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotInRange(int value, int min, int max, string? paramName) =>
        throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be between {min} and {max}, but was {value}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfRange<T>(T value, string message, string? paramName) =>
        throw new ArgumentOutOfRangeException(paramName, value, message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength(int actual, long expected, string shape, string paramName) =>
        throw new ArgumentException($"{paramName} has {actual} elements, but {shape} = {expected} were expected.", paramName);
}
