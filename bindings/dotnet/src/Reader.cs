using System;
using System.Collections.Generic;
using System.Globalization;

namespace Caseflow
{
    /// <summary>Reads an object of the engine's answer, tracking its JSON path. Strict where a value has a
    /// closed set of values (enums, tags, instants, dates): anything else throws <see cref="FormatException"/>
    /// naming the path. Fields it is not asked for are ignored, so a field the engine adds does not break an
    /// older binding.</summary>
    internal sealed class Reader
    {
        internal readonly Dictionary<string, object> Json;
        internal readonly string Path;

        internal Reader(object json, string path)
        {
            Json = json as Dictionary<string, object>;
            if (Json == null) throw Unexpected(path, "expected an object");
            Path = path;
        }

        internal static Reader Root(string text) { return new Reader(Caseflow.Json.Parse(text), "$"); }

        internal static FormatException Unexpected(string path, string what)
        {
            return new FormatException("caseflow: unexpected answer at " + path + ": " + what);
        }

        internal string At(string key) { return Path + "." + key; }

        internal object Opt(string key)
        {
            object value;
            return Json.TryGetValue(key, out value) ? value : null;
        }

        internal object Req(string key)
        {
            object value = Opt(key);
            if (value == null) throw Unexpected(At(key), "missing");
            return value;
        }

        internal string Str(string key)
        {
            var s = Req(key) as string;
            if (s == null) throw Unexpected(At(key), "expected a string");
            return s;
        }

        internal string OptStr(string key) { return Opt(key) == null ? null : Str(key); }

        internal bool Bool(string key)
        {
            object value = Req(key);
            if (!(value is bool)) throw Unexpected(At(key), "expected true or false");
            return (bool)value;
        }

        internal bool? OptBool(string key) { return Opt(key) == null ? (bool?)null : Bool(key); }

        string Number(string key)
        {
            var n = Req(key) as JsonNumber;
            if (n == null) throw Unexpected(At(key), "expected a number");
            return n.Text;
        }

        internal double Double(string key) { return double.Parse(Number(key), CultureInfo.InvariantCulture); }

        internal long Long(string key)
        {
            long value;
            if (!long.TryParse(Number(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                throw Unexpected(At(key), "expected an integer");
            return value;
        }

        internal long? OptLong(string key) { return Opt(key) == null ? (long?)null : Long(key); }

        internal DateTimeOffset Instant(string key)
        {
            string text = Str(key);
            DateTimeOffset value;
            // RFC 3339: a date, 'T', a time with optional fraction, and an offset or Z.
            if (text.Length < 20 || text[10] != 'T' || !(text.EndsWith("Z") || text[text.Length - 6] == '+' || text[text.Length - 6] == '-')
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
                throw Unexpected(At(key), "expected an RFC 3339 instant, got " + text);
            return value;
        }

        internal DateTimeOffset? OptInstant(string key) { return Opt(key) == null ? (DateTimeOffset?)null : Instant(key); }

        internal DateTime Date(string key)
        {
            string text = Str(key);
            DateTime value;
            if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
                throw Unexpected(At(key), "expected a date YYYY-MM-DD, got " + text);
            return value;
        }

        internal DateTime? OptDate(string key) { return Opt(key) == null ? (DateTime?)null : Date(key); }

        internal T Enum<T>(string key) where T : struct { return Wire.Parse<T>(Str(key), At(key)); }

        internal T? OptEnum<T>(string key) where T : struct { return Opt(key) == null ? (T?)null : Enum<T>(key); }

        internal Tier Tier(string key)
        {
            long n = Long(key);
            if (n < 1 || n > 3) throw Unexpected(At(key), "expected a tier 1, 2 or 3, got " + n);
            return (Tier)(int)n;
        }

        internal Reader Obj(string key) { return new Reader(Req(key), At(key)); }

        internal Reader OptObj(string key) { return Opt(key) == null ? null : Obj(key); }

        /// <summary>A list (absent counts as empty), each item read by <paramref name="item"/>.</summary>
        internal IReadOnlyList<T> List<T>(string key, Func<Reader, T> item)
        {
            return Items(key, (value, path) => item(new Reader(value, path)));
        }

        /// <summary>A list of integers (absent counts as empty).</summary>
        internal IReadOnlyList<long> Longs(string key)
        {
            return Items(key, (value, path) =>
            {
                long n;
                var number = value as JsonNumber;
                if (number == null || !long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
                    throw Unexpected(path, "expected an integer");
                return n;
            });
        }

        /// <summary>A list of an enum's wire names (absent counts as empty): an unknown name throws naming its path.</summary>
        internal IReadOnlyList<T> Enums<T>(string key) where T : struct
        {
            return Items(key, (value, path) =>
            {
                var name = value as string;
                if (name == null) throw Unexpected(path, "expected a string");
                return Wire.Parse<T>(name, path);
            });
        }

        /// <summary>A list (absent counts as empty), each item read by <paramref name="item"/> from its value and path.</summary>
        IReadOnlyList<T> Items<T>(string key, Func<object, string, T> item)
        {
            object value = Opt(key);
            var result = new List<T>();
            if (value == null) return result.AsReadOnly();
            var list = value as List<object>;
            if (list == null) throw Unexpected(At(key), "expected a list");
            for (int i = 0; i < list.Count; i++)
                result.Add(item(list[i], At(key) + "[" + i + "]"));
            return result.AsReadOnly();
        }

        /// <summary>An unsigned 64-bit integer.</summary>
        internal ulong ULong(string key)
        {
            ulong value;
            if (!ulong.TryParse(Number(key), NumberStyles.None, CultureInfo.InvariantCulture, out value))
                throw Unexpected(At(key), "expected an unsigned 64-bit integer");
            return value;
        }

        /// <summary>An object read as a map in the order written (absent counts as empty), each value by
        /// <paramref name="item"/> from the map object and the member's name.</summary>
        internal IReadOnlyDictionary<string, V> Map<V>(string key, Func<Reader, string, V> item)
        {
            return Map(key, (member, path) => member, item);
        }

        /// <summary>A map keyed by an enum's wire names: an unknown key throws naming its path.</summary>
        internal IReadOnlyDictionary<K, V> EnumMap<K, V>(string key, Func<Reader, string, V> item) where K : struct
        {
            return Map(key, Wire.Parse<K>, item);
        }

        IReadOnlyDictionary<K, V> Map<K, V>(string key, Func<string, string, K> keyOf, Func<Reader, string, V> item)
        {
            var result = new Dictionary<K, V>();
            if (Opt(key) == null) return result;
            var map = Obj(key);
            foreach (var member in map.Json.Keys) result[keyOf(member, map.At(member))] = item(map, member);
            return result;
        }

        internal IReadOnlyList<Diagnostic> Diagnostics(string key) { return List(key, Diagnostic.Read); }

        /// <summary>The value at <paramref name="key"/> as JSON text, written as read.</summary>
        internal string Text(string key) { return Caseflow.Json.Write(Opt(key)); }

        /// <summary>The value at <paramref name="key"/> as JSON text (<c>null</c> for a JSON null), or null when the
        /// member is absent.</summary>
        internal string OptText(string key) { return Json.ContainsKey(key) ? Text(key) : null; }
    }

    /// <summary>Builds the JSON of an input; null values are left out.</summary>
    internal sealed class JsonBuilder
    {
        internal readonly Dictionary<string, object> Members = new Dictionary<string, object>();

        internal JsonBuilder Put(string key, object value)
        {
            if (value == null) return this;
            if (value is Tier) value = new JsonNumber(((int)(Tier)value).ToString(CultureInfo.InvariantCulture));
            else if (value is Enum) value = Wire.Name((Enum)value);
            else if (value is DateTimeOffset) value = Engine.Instant((DateTimeOffset)value);
            else if (value is DateTime) value = ((DateTime)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            else if (value is int || value is long) value = new JsonNumber(Convert.ToString(value, CultureInfo.InvariantCulture));
            else if (value is JsonBuilder) value = ((JsonBuilder)value).Members;
            Members[key] = value;
            return this;
        }

        /// <summary>Puts JSON text parsed, so that it is written back as is.</summary>
        internal JsonBuilder PutJson(string key, string json)
        {
            Members[key] = Caseflow.Json.Parse(json);
            return this;
        }

        public override string ToString() { return Caseflow.Json.Write(Members); }
    }
}
