using System.Numerics;

namespace MdevCore.Internal;

/// <summary>Hands out the smallest free non-negative integer, as the kernel's IDA does.</summary>
/// <remarks>
/// A bitmap of the ids in use, with a summary bitmap of the full words above it, and a hint below which every id
/// is taken: allocating and releasing are a few word operations, and finding the next free id skips 4,096 ids per
/// summary word. Nothing is allocated per id. Thread safety: none; the owner calls it under its own lock.
/// </remarks>
internal sealed class IdAllocator
{
    private ulong[] _used = new ulong[4];

    /// <summary>Bit i set: word i of <see cref="_used"/> is full.</summary>
    private ulong[] _full = new ulong[1];

    /// <summary>Every id below this is in use.</summary>
    private int _hint;
    private int _live;

    public int Allocate()
    {
        int word = FirstNonFullWord(_hint >> 6);
        if (word == _used.Length)
        {
            Array.Resize(ref _used, _used.Length * 2);
            Array.Resize(ref _full, (_used.Length + 63) >> 6);
        }

        int bit = BitOperations.TrailingZeroCount(~_used[word]);
        _used[word] |= 1UL << bit;
        if (_used[word] == ulong.MaxValue)
        {
            _full[word >> 6] |= 1UL << (word & 63);
        }

        int id = (word << 6) + bit;
        _hint = id + 1;
        _live++;
        return id;
    }

    public void Release(int id)
    {
        int word = id >> 6;
        ulong mask = 1UL << (id & 63);
        if (id < 0 || word >= _used.Length || (_used[word] & mask) == 0 || _live == 0)
        {
            throw new InvalidOperationException($"Id {id} released but never allocated.");
        }

        _used[word] &= ~mask;
        _full[word >> 6] &= ~(1UL << (word & 63));
        _live--;
        if (id < _hint)
        {
            _hint = id;
        }
    }

    /// <summary>The first word at or after <paramref name="start"/> with a free bit, or the word count when all are full.</summary>
    private int FirstNonFullWord(int start)
    {
        int words = _used.Length;
        for (int summary = start >> 6; summary < _full.Length; summary++)
        {
            ulong full = _full[summary];
            if (summary == start >> 6)
            {
                // Words below start count as full here: every id below the hint is taken.
                full |= (1UL << (start & 63)) - 1;
            }

            if (full != ulong.MaxValue)
            {
                int word = (summary << 6) + BitOperations.TrailingZeroCount(~full);
                return Math.Min(word, words);
            }
        }

        return words;
    }
}
