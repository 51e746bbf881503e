using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Caseflow
{
    /// <summary>The raw text of a JSON number, kept as written so that nothing is lost in a round trip.</summary>
    internal sealed class JsonNumber
    {
        public string Text { get; private set; }
        public JsonNumber(string text) { Text = text; }
        public override string ToString() { return Text; }
    }

    /// <summary>A small JSON reader and writer, internal to the binding (it reads error bodies and typed results; no
    /// package is needed). Objects are <c>Dictionary&lt;string, object&gt;</c>, arrays <c>List&lt;object&gt;</c>,
    /// then <c>string</c>, <see cref="JsonNumber"/>, <c>bool</c> and <c>null</c>.</summary>
    internal static class Json
    {
        public static object Parse(string text)
        {
            int i = 0;
            object value = Value(text, ref i, 0);
            Space(text, ref i);
            if (i != text.Length) throw Error(text, i, "trailing text");
            return value;
        }

        static FormatException Error(string text, int i, string what)
        {
            return new FormatException("invalid JSON at character " + i + ": " + what);
        }

        static void Space(string s, ref int i)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        }

        static object Value(string s, ref int i, int depth)
        {
            if (depth > 200) throw Error(s, i, "nested too deeply");
            Space(s, ref i);
            if (i >= s.Length) throw Error(s, i, "unexpected end");
            char c = s[i];
            if (c == '{')
            {
                var obj = new Dictionary<string, object>();
                i++;
                Space(s, ref i);
                if (i < s.Length && s[i] == '}') { i++; return obj; }
                while (true)
                {
                    Space(s, ref i);
                    if (i >= s.Length || s[i] != '"') throw Error(s, i, "expected a member name");
                    string key = String(s, ref i);
                    Space(s, ref i);
                    if (i >= s.Length || s[i] != ':') throw Error(s, i, "expected ':'");
                    i++;
                    obj[key] = Value(s, ref i, depth + 1);
                    Space(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    if (i < s.Length && s[i] == '}') { i++; return obj; }
                    throw Error(s, i, "expected ',' or '}'");
                }
            }
            if (c == '[')
            {
                var list = new List<object>();
                i++;
                Space(s, ref i);
                if (i < s.Length && s[i] == ']') { i++; return list; }
                while (true)
                {
                    list.Add(Value(s, ref i, depth + 1));
                    Space(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    if (i < s.Length && s[i] == ']') { i++; return list; }
                    throw Error(s, i, "expected ',' or ']'");
                }
            }
            if (c == '"') return String(s, ref i);
            if (Literal(s, ref i, "true")) return true;
            if (Literal(s, ref i, "false")) return false;
            if (Literal(s, ref i, "null")) return null;
            int start = i;
            while (i < s.Length && "+-0123456789.eE".IndexOf(s[i]) >= 0) i++;
            double ignored;
            string number = s.Substring(start, i - start);
            if (number.Length == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out ignored))
                throw Error(s, start, "invalid value");
            return new JsonNumber(number);
        }

        static bool Literal(string s, ref int i, string word)
        {
            if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0) return false;
            i += word.Length;
            return true;
        }

        static string String(string s, ref int i)
        {
            var sb = new StringBuilder();
            i++;
            while (true)
            {
                if (i >= s.Length) throw Error(s, i, "unterminated string");
                char c = s[i++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (i >= s.Length) throw Error(s, i, "unterminated string");
                char e = s[i++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (i + 4 > s.Length) throw Error(s, i, "bad \\u escape");
                        sb.Append((char)int.Parse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: throw Error(s, i, "bad escape");
                }
            }
        }

        /// <summary>Writes a value as compact JSON (members in the dictionary's order).</summary>
        public static string Write(object value)
        {
            var sb = new StringBuilder();
            Write(sb, value);
            return sb.ToString();
        }

        static void Write(StringBuilder sb, object value)
        {
            if (value == null) { sb.Append("null"); return; }
            if (value is bool) { sb.Append((bool)value ? "true" : "false"); return; }
            if (value is JsonNumber) { sb.Append(((JsonNumber)value).Text); return; }
            var text = value as string;
            if (text != null) { Quote(sb, text); return; }
            var obj = value as Dictionary<string, object>;
            if (obj != null)
            {
                sb.Append('{');
                bool first = true;
                foreach (var member in obj)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Quote(sb, member.Key);
                    sb.Append(':');
                    Write(sb, member.Value);
                }
                sb.Append('}');
                return;
            }
            var list = value as List<object>;
            if (list != null)
            {
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(sb, list[i]);
                }
                sb.Append(']');
                return;
            }
            throw new ArgumentException("not a JSON value: " + value.GetType());
        }

        /// <summary>A JSON string literal.</summary>
        public static string Quote(string text)
        {
            var sb = new StringBuilder();
            Quote(sb, text);
            return sb.ToString();
        }

        static void Quote(StringBuilder sb, string text)
        {
            sb.Append('"');
            foreach (char c in text)
            {
                if (c == '"') sb.Append("\\\"");
                else if (c == '\\') sb.Append("\\\\");
                else if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            sb.Append('"');
        }

        /// <summary>True when two parsed values are the same JSON: members in any order, numbers by value.</summary>
        public static bool Equal(object a, object b)
        {
            if (a == null || b == null) return a == null && b == null;
            if (a is bool || b is bool) return a.Equals(b);
            var na = a as JsonNumber;
            var nb = b as JsonNumber;
            if (na != null || nb != null)
            {
                if (na == null || nb == null) return false;
                return na.Text == nb.Text
                    || double.Parse(na.Text, CultureInfo.InvariantCulture) == double.Parse(nb.Text, CultureInfo.InvariantCulture);
            }
            if (a is string || b is string) return a is string && b is string && string.Equals((string)a, (string)b, StringComparison.Ordinal);
            var oa = a as Dictionary<string, object>;
            var ob = b as Dictionary<string, object>;
            if (oa != null || ob != null)
            {
                if (oa == null || ob == null || oa.Count != ob.Count) return false;
                foreach (var member in oa)
                {
                    object other;
                    if (!ob.TryGetValue(member.Key, out other) || !Equal(member.Value, other)) return false;
                }
                return true;
            }
            var la = (List<object>)a;
            var lb = b as List<object>;
            if (lb == null || la.Count != lb.Count) return false;
            for (int i = 0; i < la.Count; i++)
                if (!Equal(la[i], lb[i])) return false;
            return true;
        }
    }
}
