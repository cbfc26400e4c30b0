using MdevCore.Internal;

namespace MdevCore.Tests.Internal;

/// <summary>The IDA model behind IOMMU group numbers: the smallest free id, always.</summary>
public sealed class IdAllocatorTests
{
    [Fact]
    public void Allocate_returns_the_smallest_free_id_in_any_sequence_of_allocations_and_releases()
    {
        var ids = new IdAllocator();
        var live = new List<int>();
        var free = new SortedSet<int>(); // released ids below next
        int next = 0;
        var random = new Random(1234);
        for (int step = 0; step < 200_000; step++)
        {
            // Grow to several thousand ids (past one summary word of 4,096), then churn around that size.
            bool allocate = live.Count == 0 || random.Next(100) < (live.Count < 6_000 ? 60 : 45);
            if (allocate)
            {
                int expected = free.Count > 0 ? free.Min : next;
                ids.Allocate().Should().Be(expected, "step {0}", step);
                if (!free.Remove(expected))
                {
                    next++;
                }

                live.Add(expected);
            }
            else
            {
                int index = random.Next(live.Count);
                int victim = live[index];
                live[index] = live[^1];
                live.RemoveAt(live.Count - 1);
                ids.Release(victim);
                free.Add(victim);
            }
        }
    }

    [Fact]
    public void Releasing_an_id_that_is_not_allocated_throws()
    {
        var ids = new IdAllocator();
        int id = ids.Allocate();
        ids.Release(id);

        FluentActions.Invoking(() => ids.Release(id)).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => ids.Release(100_000)).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => ids.Release(-1)).Should().Throw<InvalidOperationException>();
    }
}
