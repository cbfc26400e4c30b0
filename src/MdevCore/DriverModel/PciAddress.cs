namespace MdevCore.DriverModel;

/// <summary>Checks PCI addresses of the form <c>dddd:bb:ss.f</c> (lower-case hex, function 0-7).</summary>
internal static class PciAddress
{
    public static bool IsValid(string address)
    {
        if (address.Length != 12 || address[4] != ':' || address[7] != ':' || address[10] != '.')
        {
            return false;
        }

        for (int i = 0; i < 10; i++)
        {
            if (i is 4 or 7)
            {
                continue;
            }

            char c = address[i];
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return address[11] is >= '0' and <= '7' && Convert.ToInt32(address[8..10], 16) < 32;
    }
}
