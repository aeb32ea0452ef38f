using System.Reflection;

namespace CodeMigrations.Tests.Verification;

/// <summary>
/// 200 small migrations for timing <c>verify</c>: a growing schema of tables, columns, indexes, constraints, views,
/// functions and comments, four kinds of change in turn. Each class only carries its version; the base builds the SQL
/// from it. Generated: one declaration per line.
/// </summary>
public static class Generated200
{
    public abstract class Step : Migration
    {
        private int N => (int)GetType().GetCustomAttribute<MigrationAttribute>()!.Version;

        public override void Up() => Execute((N % 4) switch
        {
            1 => $"CREATE TABLE t{N} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
            2 => $"ALTER TABLE t{N - 1} ADD COLUMN note text; CREATE INDEX ix_t{N - 1}_name ON t{N - 1} (name)",
            3 => $"ALTER TABLE t{N - 2} ADD CONSTRAINT ck_t{N - 2}_name CHECK (name <> ''); CREATE VIEW v{N} AS SELECT id, name FROM t{N - 2}",
            _ => $"CREATE FUNCTION f{N}() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT {N}'; COMMENT ON TABLE t{N - 3} IS 'table {N - 3}'",
        });

        public override void Down() => Execute((N % 4) switch
        {
            1 => $"DROP TABLE t{N}",
            2 => $"DROP INDEX ix_t{N - 1}_name; ALTER TABLE t{N - 1} DROP COLUMN note",
            3 => $"DROP VIEW v{N}; ALTER TABLE t{N - 2} DROP CONSTRAINT ck_t{N - 2}_name",
            _ => $"COMMENT ON TABLE t{N - 3} IS NULL; DROP FUNCTION f{N}()",
        });
    }

    [Migration(1)] public sealed class M001 : Step;
    [Migration(2)] public sealed class M002 : Step;
    [Migration(3)] public sealed class M003 : Step;
    [Migration(4)] public sealed class M004 : Step;
    [Migration(5)] public sealed class M005 : Step;
    [Migration(6)] public sealed class M006 : Step;
    [Migration(7)] public sealed class M007 : Step;
    [Migration(8)] public sealed class M008 : Step;
    [Migration(9)] public sealed class M009 : Step;
    [Migration(10)] public sealed class M010 : Step;
    [Migration(11)] public sealed class M011 : Step;
    [Migration(12)] public sealed class M012 : Step;
    [Migration(13)] public sealed class M013 : Step;
    [Migration(14)] public sealed class M014 : Step;
    [Migration(15)] public sealed class M015 : Step;
    [Migration(16)] public sealed class M016 : Step;
    [Migration(17)] public sealed class M017 : Step;
    [Migration(18)] public sealed class M018 : Step;
    [Migration(19)] public sealed class M019 : Step;
    [Migration(20)] public sealed class M020 : Step;
    [Migration(21)] public sealed class M021 : Step;
    [Migration(22)] public sealed class M022 : Step;
    [Migration(23)] public sealed class M023 : Step;
    [Migration(24)] public sealed class M024 : Step;
    [Migration(25)] public sealed class M025 : Step;
    [Migration(26)] public sealed class M026 : Step;
    [Migration(27)] public sealed class M027 : Step;
    [Migration(28)] public sealed class M028 : Step;
    [Migration(29)] public sealed class M029 : Step;
    [Migration(30)] public sealed class M030 : Step;
    [Migration(31)] public sealed class M031 : Step;
    [Migration(32)] public sealed class M032 : Step;
    [Migration(33)] public sealed class M033 : Step;
    [Migration(34)] public sealed class M034 : Step;
    [Migration(35)] public sealed class M035 : Step;
    [Migration(36)] public sealed class M036 : Step;
    [Migration(37)] public sealed class M037 : Step;
    [Migration(38)] public sealed class M038 : Step;
    [Migration(39)] public sealed class M039 : Step;
    [Migration(40)] public sealed class M040 : Step;
    [Migration(41)] public sealed class M041 : Step;
    [Migration(42)] public sealed class M042 : Step;
    [Migration(43)] public sealed class M043 : Step;
    [Migration(44)] public sealed class M044 : Step;
    [Migration(45)] public sealed class M045 : Step;
    [Migration(46)] public sealed class M046 : Step;
    [Migration(47)] public sealed class M047 : Step;
    [Migration(48)] public sealed class M048 : Step;
    [Migration(49)] public sealed class M049 : Step;
    [Migration(50)] public sealed class M050 : Step;
    [Migration(51)] public sealed class M051 : Step;
    [Migration(52)] public sealed class M052 : Step;
    [Migration(53)] public sealed class M053 : Step;
    [Migration(54)] public sealed class M054 : Step;
    [Migration(55)] public sealed class M055 : Step;
    [Migration(56)] public sealed class M056 : Step;
    [Migration(57)] public sealed class M057 : Step;
    [Migration(58)] public sealed class M058 : Step;
    [Migration(59)] public sealed class M059 : Step;
    [Migration(60)] public sealed class M060 : Step;
    [Migration(61)] public sealed class M061 : Step;
    [Migration(62)] public sealed class M062 : Step;
    [Migration(63)] public sealed class M063 : Step;
    [Migration(64)] public sealed class M064 : Step;
    [Migration(65)] public sealed class M065 : Step;
    [Migration(66)] public sealed class M066 : Step;
    [Migration(67)] public sealed class M067 : Step;
    [Migration(68)] public sealed class M068 : Step;
    [Migration(69)] public sealed class M069 : Step;
    [Migration(70)] public sealed class M070 : Step;
    [Migration(71)] public sealed class M071 : Step;
    [Migration(72)] public sealed class M072 : Step;
    [Migration(73)] public sealed class M073 : Step;
    [Migration(74)] public sealed class M074 : Step;
    [Migration(75)] public sealed class M075 : Step;
    [Migration(76)] public sealed class M076 : Step;
    [Migration(77)] public sealed class M077 : Step;
    [Migration(78)] public sealed class M078 : Step;
    [Migration(79)] public sealed class M079 : Step;
    [Migration(80)] public sealed class M080 : Step;
    [Migration(81)] public sealed class M081 : Step;
    [Migration(82)] public sealed class M082 : Step;
    [Migration(83)] public sealed class M083 : Step;
    [Migration(84)] public sealed class M084 : Step;
    [Migration(85)] public sealed class M085 : Step;
    [Migration(86)] public sealed class M086 : Step;
    [Migration(87)] public sealed class M087 : Step;
    [Migration(88)] public sealed class M088 : Step;
    [Migration(89)] public sealed class M089 : Step;
    [Migration(90)] public sealed class M090 : Step;
    [Migration(91)] public sealed class M091 : Step;
    [Migration(92)] public sealed class M092 : Step;
    [Migration(93)] public sealed class M093 : Step;
    [Migration(94)] public sealed class M094 : Step;
    [Migration(95)] public sealed class M095 : Step;
    [Migration(96)] public sealed class M096 : Step;
    [Migration(97)] public sealed class M097 : Step;
    [Migration(98)] public sealed class M098 : Step;
    [Migration(99)] public sealed class M099 : Step;
    [Migration(100)] public sealed class M100 : Step;
    [Migration(101)] public sealed class M101 : Step;
    [Migration(102)] public sealed class M102 : Step;
    [Migration(103)] public sealed class M103 : Step;
    [Migration(104)] public sealed class M104 : Step;
    [Migration(105)] public sealed class M105 : Step;
    [Migration(106)] public sealed class M106 : Step;
    [Migration(107)] public sealed class M107 : Step;
    [Migration(108)] public sealed class M108 : Step;
    [Migration(109)] public sealed class M109 : Step;
    [Migration(110)] public sealed class M110 : Step;
    [Migration(111)] public sealed class M111 : Step;
    [Migration(112)] public sealed class M112 : Step;
    [Migration(113)] public sealed class M113 : Step;
    [Migration(114)] public sealed class M114 : Step;
    [Migration(115)] public sealed class M115 : Step;
    [Migration(116)] public sealed class M116 : Step;
    [Migration(117)] public sealed class M117 : Step;
    [Migration(118)] public sealed class M118 : Step;
    [Migration(119)] public sealed class M119 : Step;
    [Migration(120)] public sealed class M120 : Step;
    [Migration(121)] public sealed class M121 : Step;
    [Migration(122)] public sealed class M122 : Step;
    [Migration(123)] public sealed class M123 : Step;
    [Migration(124)] public sealed class M124 : Step;
    [Migration(125)] public sealed class M125 : Step;
    [Migration(126)] public sealed class M126 : Step;
    [Migration(127)] public sealed class M127 : Step;
    [Migration(128)] public sealed class M128 : Step;
    [Migration(129)] public sealed class M129 : Step;
    [Migration(130)] public sealed class M130 : Step;
    [Migration(131)] public sealed class M131 : Step;
    [Migration(132)] public sealed class M132 : Step;
    [Migration(133)] public sealed class M133 : Step;
    [Migration(134)] public sealed class M134 : Step;
    [Migration(135)] public sealed class M135 : Step;
    [Migration(136)] public sealed class M136 : Step;
    [Migration(137)] public sealed class M137 : Step;
    [Migration(138)] public sealed class M138 : Step;
    [Migration(139)] public sealed class M139 : Step;
    [Migration(140)] public sealed class M140 : Step;
    [Migration(141)] public sealed class M141 : Step;
    [Migration(142)] public sealed class M142 : Step;
    [Migration(143)] public sealed class M143 : Step;
    [Migration(144)] public sealed class M144 : Step;
    [Migration(145)] public sealed class M145 : Step;
    [Migration(146)] public sealed class M146 : Step;
    [Migration(147)] public sealed class M147 : Step;
    [Migration(148)] public sealed class M148 : Step;
    [Migration(149)] public sealed class M149 : Step;
    [Migration(150)] public sealed class M150 : Step;
    [Migration(151)] public sealed class M151 : Step;
    [Migration(152)] public sealed class M152 : Step;
    [Migration(153)] public sealed class M153 : Step;
    [Migration(154)] public sealed class M154 : Step;
    [Migration(155)] public sealed class M155 : Step;
    [Migration(156)] public sealed class M156 : Step;
    [Migration(157)] public sealed class M157 : Step;
    [Migration(158)] public sealed class M158 : Step;
    [Migration(159)] public sealed class M159 : Step;
    [Migration(160)] public sealed class M160 : Step;
    [Migration(161)] public sealed class M161 : Step;
    [Migration(162)] public sealed class M162 : Step;
    [Migration(163)] public sealed class M163 : Step;
    [Migration(164)] public sealed class M164 : Step;
    [Migration(165)] public sealed class M165 : Step;
    [Migration(166)] public sealed class M166 : Step;
    [Migration(167)] public sealed class M167 : Step;
    [Migration(168)] public sealed class M168 : Step;
    [Migration(169)] public sealed class M169 : Step;
    [Migration(170)] public sealed class M170 : Step;
    [Migration(171)] public sealed class M171 : Step;
    [Migration(172)] public sealed class M172 : Step;
    [Migration(173)] public sealed class M173 : Step;
    [Migration(174)] public sealed class M174 : Step;
    [Migration(175)] public sealed class M175 : Step;
    [Migration(176)] public sealed class M176 : Step;
    [Migration(177)] public sealed class M177 : Step;
    [Migration(178)] public sealed class M178 : Step;
    [Migration(179)] public sealed class M179 : Step;
    [Migration(180)] public sealed class M180 : Step;
    [Migration(181)] public sealed class M181 : Step;
    [Migration(182)] public sealed class M182 : Step;
    [Migration(183)] public sealed class M183 : Step;
    [Migration(184)] public sealed class M184 : Step;
    [Migration(185)] public sealed class M185 : Step;
    [Migration(186)] public sealed class M186 : Step;
    [Migration(187)] public sealed class M187 : Step;
    [Migration(188)] public sealed class M188 : Step;
    [Migration(189)] public sealed class M189 : Step;
    [Migration(190)] public sealed class M190 : Step;
    [Migration(191)] public sealed class M191 : Step;
    [Migration(192)] public sealed class M192 : Step;
    [Migration(193)] public sealed class M193 : Step;
    [Migration(194)] public sealed class M194 : Step;
    [Migration(195)] public sealed class M195 : Step;
    [Migration(196)] public sealed class M196 : Step;
    [Migration(197)] public sealed class M197 : Step;
    [Migration(198)] public sealed class M198 : Step;
    [Migration(199)] public sealed class M199 : Step;
    [Migration(200)] public sealed class M200 : Step;
}
