#!/usr/bin/env escript
%% Reads frames (each: 4-byte big-endian length, then the ETF bytes) from the file given as
%% argument; for each: binary_to_term/1, then term_to_binary(T, [{minor_version, 2}]) must give
%% the same bytes. Prints one line per distinct message kind/element/state/hangup seen, then
%% "FRAMES N MISMATCHES M" (and "MISMATCH I" lines). Used by src/pbx-sim/erlang.test.ts.
-mode(compile).

main([File]) ->
    {ok, Bin} = file:read_file(File),
    {N, Bad, Seen} = loop(Bin, 0, [], #{}),
    [io:format("SEEN ~s~n", [K]) || K <- lists:sort(maps:keys(Seen))],
    [io:format("MISMATCH ~p~n", [I]) || I <- lists:reverse(Bad)],
    io:format("FRAMES ~p MISMATCHES ~p~n", [N, length(Bad)]).

loop(<<>>, N, Bad, Seen) -> {N, Bad, Seen};
loop(<<Len:32, Frame:Len/binary, Rest/binary>>, N, Bad, Seen) ->
    T = binary_to_term(Frame),
    Again = term_to_binary(T, [{minor_version, 2}]),
    Bad2 = case Again =:= Frame of true -> Bad; false -> [N | Bad] end,
    loop(Rest, N + 1, Bad2, classify(T, Seen)).

classify({field_spec, El, Fields}, S) when is_list(Fields) -> S#{fmt("field_spec ~s", [El]) => 1};
classify({initial_info, El, Recs}, S) when is_list(Recs) ->
    lists:foldl(fun(R, Acc) -> record(El, R, Acc) end, S#{fmt("initial_info ~s", [El]) => 1}, Recs);
classify({info_event, El, Rec, Ev}, S) -> record(El, Rec, S#{fmt("info_event ~s ~s", [El, Ev]) => 1});
classify({system_msg, M}, S) -> S#{fmt("system_msg ~s", [M]) => 1};
classify({msg, M}, S) when is_binary(M) -> S#{"msg" => 1};
classify(_, S) -> S#{"unknown" => 1}.

%% channel: state is field 13, last_event_data field 22; channel_waiting etc.: state is field 2
record(channel, R, S) when tuple_size(R) =:= 22 ->
    S1 = state(element(13, R), S),
    case element(22, R) of
        undefined -> S1;
        D when is_binary(D) -> S1#{fmt("hangup ~s", [D]) => 1}
    end;
record(El, R, S) when El =:= channel_waiting; El =:= queued_channel; El =:= parked_channel ->
    state(element(2, R), S);
record(_, _, S) -> S.

state(St, S) when is_tuple(St), is_integer(element(1, St)) ->
    Name = element(2, St),
    Extra = case St of
        {_, calling, Loc, Type, Data} when is_tuple(Data) -> fmt(" ~s ~s", [Loc, Type]) ++ group_type(Data);
        _ -> ""
    end,
    S#{fmt("state ~s", [Name]) ++ Extra => 1};
state(St, S) -> io:format(standard_error, "bad state ~p~n", [St]), S#{"bad state" => 1}.

group_type({GT, _, _, _, Q}) when is_atom(GT) -> fmt(" ~s~s", [GT, case Q of undefined -> ""; _ -> " queue" end]);
group_type(_) -> "".

fmt(F, A) -> lists:flatten(io_lib:format(F, A)).
