using RbmSimd.Model;
using Xunit;

namespace RbmSimd.Tests;

public class SmokeTests
{
    [Fact]
    public void CreateRandom_HasRequestedShape()
    {
        var rbm = BernoulliRbm.CreateRandom(5, 3, seed: 1);
        Assert.Equal(15, rbm.Weights.Length);
    }
}
