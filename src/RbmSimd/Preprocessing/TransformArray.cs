namespace RbmSimd.Preprocessing;

/// <summary>One named parameter array of a fitted <see cref="Transform"/>: a shape and float values in row-major (C) order.</summary>
/// <remarks>
/// The form a transform is stored in beside a model (an <c>.npz</c> entry per array, say); see
/// <see cref="Transform.ToArrays"/> for the names. The record does not copy its arrays; treat them as read-only.
/// </remarks>
/// <param name="Name">The array's name, <c>{step}.{kind}.{field}</c>.</param>
/// <param name="Shape">The dimensions: <c>[n]</c> for a vector, <c>[rows, cols]</c> for a matrix.</param>
/// <param name="Values">The elements, as many as the product of the dimensions.</param>
public sealed record TransformArray(string Name, int[] Shape, float[] Values);
