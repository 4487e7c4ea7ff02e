#!/usr/bin/env escript
%% -*- erlang -*-
%% Real-Erlang oracle for the TS ETF codec (src/cti/etf/erlang.test.ts).
%%   escript etf-check.escript golden       -> prints "Name Mode HEX" lines written by term_to_binary
%%   escript etf-check.escript check FILE   -> for "Name Mode HEX" lines (written by our encodeEtf),
%%                                             binary_to_term each, compare with the named term, and
%%                                             for Mode v1/v2 require term_to_binary to give the same bytes.
%% Modes: v0 = [{minor_version,0}] (FLOAT_EXT), v1 = [{minor_version,1}] (OTP 25 default, ATOM_EXT),
%%        v2 = [{minor_version,2}] (UTF-8 atoms, OTP 26+ default), z = [compressed].
-mode(compile).

cases() ->
    [{small_int, 42}, {zero, 0}, {byte_max, 255}, {minus_one, -1}, {int32, 100000},
     {int32_min, -2147483648}, {int32_max, 2147483647},
     {ts, 1546839040024071}, {ts_neg, -1546839040024071}, {safe_max, 9007199254740991},
     {beyond_safe, 9007199254740993}, {big80, 1 bsl 80}, {big_neg300, -(1 bsl 300)},
     {large_big, 1 bsl 2100},
     {float_half, 1.5}, {float_neg, -0.25}, {float_pi, 3.141592653589793}, {float_huge, 1.0e300},
     {float_zero, 0.0},
     {atom_ok, ok}, {atom_empty, ''}, {atom_ja, 'ユーザ'}, {atom_latin1, 'café'},
     {bin_empty, <<>>}, {bin_hello, <<"hello">>}, {bin_ja, <<"ユーザ・10001000"/utf8>>}, {bin_bytes, <<0, 255>>},
     {bits3, <<5:3>>}, {bits20, <<1, 2, 3:4>>},
     {str_abc, "abc"}, {str_mixed, [1, 2, 300]}, {nil, []}, {str_ja, "日本"},
     {tuple_empty, {}}, {tuple_pair, {a, 1}}, {tuple_300, list_to_tuple(lists:seq(1, 300))},
     {list_atoms, [a, b]}, {improper, [a | b]}, {list_mixed, [1.5, <<"x">>, {}]},
     {map_empty, #{}}, {map_small, #{a => 1, <<"k">> => [1, 2]}},
     {pid, list_to_pid("<0.42.0>")}, {ref, list_to_ref("#Ref<0.1.2.3>")}, {port, list_to_port("#Port<0.7>")},
     {export, fun lists:map/2},
     {channel_event,
      {info_event, channel,
       {<<"5714495a-b8a1-4fff-8420-78648863ecd1">>, inbound, external, <<"0312341234">>,
        <<"0312341234">>, <<"10001111">>, 1546839040024071, undefined, undefined,
        {1546839040035125, calling, int, group, {ring, 10001111, x, y, group1}},
        <<"山田 太郎"/utf8>>, 'STATE_CHANGE'},
       updated}},
     {users, {initial_info, user,
              [{10001000 + I, <<"user", (integer_to_binary(I))/binary>>, 0, 0, 0, integer_to_binary(1000 + I),
                0, 100, 0, undefined, 0, undefined, <<"u@test1.com">>, undefined,
                <<"ユーザ・"/utf8, (integer_to_binary(10001000 + I))/binary>>, <<>>}
               || I <- lists:seq(1, 40)]}}].

golden() ->
    Compressed = [users, tuple_300, large_big],
    lists:foreach(
      fun({Name, T}) ->
              line(Name, v1, term_to_binary(T, [{minor_version, 1}])),
              line(Name, v2, term_to_binary(T, [{minor_version, 2}])),
              case lists:member(Name, Compressed) of
                  true -> <<131, 80, _/binary>> = Z = term_to_binary(T, [compressed]), line(Name, z, Z);
                  false -> ok
              end
      end, cases()),
    line(float_half, v0, term_to_binary(1.5, [{minor_version, 0}])),
    line(float_neg, v0, term_to_binary(-0.25, [{minor_version, 0}])),
    X = 7,
    line(local_fun, v2, term_to_binary(fun(Y) -> X + Y end, [{minor_version, 2}])).

line(Name, Mode, Bin) -> io:format("~s ~s ~s~n", [Name, Mode, binary:encode_hex(Bin)]).

check(File) ->
    {ok, Data} = file:read_file(File),
    Lines = [L || L <- binary:split(Data, <<"\n">>, [global, trim_all]), L =/= <<>>],
    lists:foreach(fun check_line/1, Lines).

check_line(Line) ->
    [NameB, ModeB, Hex] = binary:split(Line, <<" ">>, [global]),
    Name = binary_to_atom(NameB, utf8),
    Mode = binary_to_atom(ModeB, utf8),
    Bin = binary:decode_hex(Hex),
    Verdict =
        try binary_to_term(Bin) of
            T ->
                Expected = proplists:get_value(Name, cases()),
                Canonical = case Mode of
                                v1 -> term_to_binary(T, [{minor_version, 1}]);
                                v2 -> term_to_binary(T, [{minor_version, 2}]);
                                _ -> Bin
                            end,
                if T =/= Expected -> io_lib:format("FAIL decoded ~tp", [T]);
                   Canonical =/= Bin -> io_lib:format("FAIL term_to_binary gives ~s", [binary:encode_hex(Canonical)]);
                   true -> "ok"
                end
        catch C:E -> io_lib:format("FAIL binary_to_term ~p:~p", [C, E])
        end,
    io:format("~s ~s ~ts~n", [Name, Mode, Verdict]).

main(["golden"]) -> golden();
main(["check", File]) -> check(File);
main(_) -> io:format(standard_error, "usage: etf-check.escript golden | check FILE~n", []), halt(2).
