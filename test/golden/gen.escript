#!/usr/bin/env escript
%% -*- erlang; coding: utf-8 -*-
%%
%% Golden ws_cti frames written by a real Erlang (term_to_binary), as a Basix server would
%% send them (see ../../../shared/PROTOCOL.md, "Messages", "Elements", "Field translations").
%%
%% Usage:
%%   escript test/golden/gen.escript write DIR   writes DIR/NN-name.bin (one ETF frame each)
%%   escript test/golden/gen.escript check DIR   regenerates in memory and compares with DIR;
%%                                               exit 1 on any difference, missing or extra file.
%%
%% The frames form ONE connection's stream: feed them, in file-name order, to one parser.
%% Compressed frames are compared by their decoded term (zlib output may differ between
%% zlib versions), everything else byte for byte.

main(["write", Dir]) ->
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    [ok = file:write_file(filename:join(Dir, Name), Bin) || {Name, Bin} <- frames()],
    io:format("wrote ~b frames to ~s~n", [length(frames()), Dir]);
main(["check", Dir]) ->
    Want = frames(),
    Names = [N || {N, _} <- Want],
    Have = lists:sort(filelib:wildcard("*.bin", Dir)),
    Extra = Have -- Names,
    Problems =
        [io_lib:format("extra committed frame ~s~n", [N]) || N <- Extra] ++
        lists:append([compare(Dir, N, B) || {N, B} <- Want]),
    case Problems of
        [] -> io:format("golden frames OK (~b frames)~n", [length(Want)]);
        _ -> io:put_chars(standard_error, Problems), halt(1)
    end;
main(_) ->
    io:put_chars(standard_error, "usage: gen.escript write|check DIR\n"),
    halt(2).

compare(Dir, Name, Bin) ->
    case file:read_file(filename:join(Dir, Name)) of
        {ok, Bin} -> [];
        {ok, <<131, 80, _/binary>> = Old} when binary_part(Bin, 0, 2) =:= <<131, 80>> ->
            case catch binary_to_term(Old) =:= binary_to_term(Bin) of
                true -> [];
                _ -> [io_lib:format("frame ~s differs (compressed, decoded term differs)~n", [Name])]
            end;
        {ok, _} -> [io_lib:format("frame ~s differs~n", [Name])];
        {error, E} -> [io_lib:format("frame ~s missing (~p)~n", [Name, E])]
    end.

%% ---------------------------------------------------------------------------------------
%% Field specs

%% The seed README's channel, in the seed's field order.
seed_channel_spec() ->
    [uuid, direction, peer_location, calling_name, calling_number, called_number,
     offer_timestamp, answer_timestamp, hangup_timestamp, other_uuid, user_id, state,
     group_id, target, origination, end_user, tags, last_bridged_user_id, last_event,
     other_info].

%% A newer server: another order, call_id/last_event_data added, and a field we don't know.
channel_spec() ->
    [uuid, call_id, direction, peer_location, state, calling_name, calling_number,
     called_number, offer_timestamp, answer_timestamp, hangup_timestamp, other_uuid,
     user_id, group_id, target, origination, end_user, tags, last_bridged_user_id,
     last_event, last_event_data, other_info, x_priority].

small_channel_spec() -> [uuid, state, peer_number, end_user].

user_spec() ->
    [id, name, fwd_always_status, do_not_disturb_status, language, main_extension,
     presence, role, park_group, mwi_target, flags, followme, email, avatar, label, mwi].

group_spec() -> [id, name, type, language, main_extension, queue, label, flags, mwi].

group_member_spec() -> [id, group_id, user_id, priority, login_status, role].

terminal_spec() -> [id, name, assoc_user_id, type, user_agent, registered].

domain_spec() -> [id, name, label, park_slot_start, park_slot_end].

metrics_spec() -> [id, small, byte_edge, int_min, neg_small, neg_big_int, ts, big_pos, big_neg,
                   huge, float_pos, float_neg, float_big, float_int, text, charlist].

rec(Spec, Map) -> list_to_tuple([maps:get(F, Map, undefined) || F <- Spec]).

%% ---------------------------------------------------------------------------------------
%% Text helpers

u(S) -> unicode:characters_to_binary(S).

%% URL-encode UTF-8 with '+' for space, as the CRM integration does (PROTOCOL.md, end_user).
enc(S) -> << <<(enc_byte(C))/binary>> || <<C>> <= u(S) >>.
enc_byte($\s) -> <<"+">>;
enc_byte(C) when C >= $a, C =< $z; C >= $A, C =< $Z; C >= $0, C =< $9;
                 C =:= $-; C =:= $_; C =:= $.; C =:= $~ -> <<C>>;
enc_byte(C) -> list_to_binary(io_lib:format("%~2.16.0B", [C])).

end_user_item(Id, Name, Org, Avatar, Pref) ->
    iolist_to_binary(lists:join("*", [enc(Id), enc(Name), enc(Org), enc(Avatar), enc(Pref)])).

yamada() -> end_user_item("C-1001", "山田 太郎", "株式会社テスト", "yamada.png", "東京都").
suzuki() -> end_user_item("C-1002", "鈴木 花子", "テスト商事", "https://crm.example.jp/a/suzuki.png", "大阪府").
sato() -> end_user_item("C-1003", "佐藤 次郎", "", "", "").

%% ---------------------------------------------------------------------------------------
%% Frames: {FileName, Bytes}

-define(TS, 1546839040035125).

frames() ->
    Fs = frame_terms(),
    lists:zipwith(
      fun(N, {Name, Term, Opts}) ->
              {lists:flatten(io_lib:format("~2..0b-~s.bin", [N, Name])), term_to_binary(Term, Opts)}
      end,
      lists:seq(1, length(Fs)), Fs).

-define(V1, [{minor_version, 1}]).
-define(V2, [{minor_version, 2}]).

frame_terms() ->
    SeedCh = seed_channel_spec(),
    Ch = channel_spec(),
    Small = small_channel_spec(),
    [
     %% --- the seed README's examples, from an older server (Latin-1 atoms) ---
     {"field_spec-channel-seed", {field_spec, channel, SeedCh}, ?V1},
     {"initial_info-channel-seed",
      {initial_info, channel,
       [rec(SeedCh, #{uuid => <<"5714495a-b8a1-4fff-8420-78648863ecd1">>,
                      direction => inbound, peer_location => external,
                      calling_name => <<"0312341234">>, calling_number => <<"0312341234">>,
                      called_number => <<"10001111">>, offer_timestamp => 1546839040024071,
                      state => {?TS, calling, int, group, {ring, 10001111, <<"group1">>, 0, <<"group1">>}},
                      last_event => 'STATE_CHANGE'})]}, ?V1},
     {"field_spec-parked_channel", {field_spec, parked_channel, Small}, ?V1},
     {"initial_info-parked_channel-seed",
      {initial_info, parked_channel,
       [rec(Small, #{uuid => <<"5714495a-b8a1-4fff-8420-78648863ecd1">>,
                     state => {1546839050549316, park, 901, 0, 10001001, <<"user1">>},
                     peer_number => <<"0312341234">>})]}, ?V1},
     {"field_spec-queued_channel", {field_spec, queued_channel, Small}, ?V1},
     {"initial_info-queued_channel-seed",
      {initial_info, queued_channel,
       [rec(Small, #{uuid => <<"5714495a-b8a1-4fff-8420-78648863ecd1">>,
                     state => {?TS, calling, int, group, {ring, 10001111, <<"group1">>, 0, <<"group1">>}},
                     peer_number => <<"0312341234">>})]}, ?V1},
     {"field_spec-user", {field_spec, user, user_spec()}, ?V2},
     {"initial_info-user-seed",
      {initial_info, user,
       [rec(user_spec(), #{id => 10001000, name => <<"admin">>, fwd_always_status => 0,
                           do_not_disturb_status => 0, language => 0, main_extension => <<"1000">>,
                           presence => 0, role => 100, park_group => 0, flags => 0,
                           email => <<"admin@test1.com">>, label => u("ユーザ・10001000"), mwi => <<>>}),
        rec(user_spec(), #{id => 10001001, name => <<"user1">>, fwd_always_status => 1,
                           do_not_disturb_status => 0, language => 1, main_extension => <<"1001">>,
                           presence => 2, role => 10, park_group => 1, mwi_target => 10001001,
                           flags => 0, followme => <<"0312345678">>,
                           email => "yamada@example.jp",          % a charlist: STRING_EXT
                           avatar => <<"yamada.png">>, label => u("山田 太郎"), mwi => <<"2/5 (1/0)">>}),
        rec(user_spec(), #{id => 10001002, name => <<"user2">>, fwd_always_status => 0,
                           do_not_disturb_status => 1, language => 1, main_extension => <<"1002">>,
                           presence => 3, role => 10, park_group => 0, flags => 0,
                           email => <<>>, avatar => <<"https://cdn.example.jp/a/u2.png">>,
                           label => u("鈴木 花子"), mwi => <<"0/1">>})]}, ?V2},
     {"field_spec-group", {field_spec, group, group_spec()}, ?V2},
     {"initial_info-group-seed",
      {initial_info, group,
       [rec(group_spec(), #{id => 10001111, name => <<"group1">>, type => 0, language => 0,
                            main_extension => <<"1111">>, queue => 0,
                            label => u("グループ・10001111"), flags => 4, mwi => <<>>}),
        rec(group_spec(), #{id => 10001112, name => <<"group2">>, type => 1, language => 1,
                            main_extension => <<"1112">>, queue => 1,
                            label => u("営業部"), flags => 0, mwi => <<"3/0 (0/0)">>})]}, ?V2},
     {"field_spec-group_member", {field_spec, group_member, group_member_spec()}, ?V2},
     {"initial_info-group_member-seed",
      {initial_info, group_member,
       [rec(group_member_spec(), #{id => 110001001, group_id => 10001111, user_id => 10001001,
                                   priority => 0, login_status => 0, role => 0}),
        rec(group_member_spec(), #{id => 110001002, group_id => 10001111, user_id => 10001002,
                                   priority => 1, login_status => 1, role => 1})]}, ?V2},
     %% --- a record for an element with no field_spec yet: protocol error for that record ---
     {"info_event-terminal-no-spec",
      {info_event, terminal, {20001, <<"t1001">>, 10001001, sip, <<"Phone/1.0">>, true}, updated}, ?V2},
     {"field_spec-terminal", {field_spec, terminal, terminal_spec()}, ?V2},
     {"initial_info-terminal-empty-list", {initial_info, terminal, []}, ?V2},
     {"field_spec-channel_waiting", {field_spec, channel_waiting, Ch}, ?V2},
     {"initial_info-channel_waiting-bert-nil", {initial_info, channel_waiting, {bert, nil}}, ?V2},
     {"field_spec-parked_channel-again", {field_spec, parked_channel, Small}, ?V2},
     {"initial_info-parked_channel-bert-nil", {initial_info, parked_channel, {bert, nil}}, ?V2},
     %% --- a newer server: field_spec sent again (replaces), other order, new fields ---
     {"field_spec-channel-new", {field_spec, channel, Ch}, ?V2},
     {"initial_info-channel-every-state", {initial_info, channel, state_channels()}, ?V2},
     {"info_event-channel-added",
      {info_event, channel,
       rec(Ch, #{uuid => <<"c0000000-0000-4000-8000-000000000101">>, call_id => <<"abc@192.0.2.1">>,
                 direction => inbound, peer_location => external,
                 state => {1700000000000001, calling, ext, group, {hunt, 10001112, <<"group2">>, 0, undefined}},
                 calling_name => u("鈴木 花子"), calling_number => <<"0698765432">>,
                 called_number => <<"0312345678">>, offer_timestamp => 1700000000000000,
                 target => {group, 10001112, u("営業部"), <<"0312345678">>},
                 end_user => iolist_to_binary(["_MANY_:3|", suzuki(), "|", yamada()]),
                 tags => <<"monitoring_required;vip;">>, last_event => 'CHANNEL_CREATE',
                 x_priority => 5}),
       added}, ?V2},
     {"info_event-channel-updated-bridged",
      {info_event, channel,
       rec(Ch, #{uuid => <<"c0000000-0000-4000-8000-000000000101">>, call_id => <<"abc@192.0.2.1">>,
                 direction => inbound, peer_location => external,
                 state => {1700000005000000, bridged},
                 calling_name => u("鈴木 花子"), calling_number => <<"0698765432">>,
                 called_number => <<"0312345678">>, offer_timestamp => 1700000000000000,
                 answer_timestamp => 1700000005000000,
                 other_uuid => <<"c0000000-0000-4000-8000-000000000102">>, group_id => 10001112,
                 end_user => suzuki(), last_bridged_user_id => 10001001, last_event => 'CHANNEL_BRIDGE',
                 other_info => {user, 10001001, outbound, internal, <<"t1001">>, 1700000001000000,
                                10001112, undefined}}),
       updated}, ?V2},
     {"info_event-channel-hangup-caller-cancel",
      {info_event, channel,
       rec(Ch, #{uuid => <<"c0000000-0000-4000-8000-000000000103">>, direction => inbound,
                 peer_location => external,
                 state => {1700000010000000, calling, int, user, {10001001}},
                 calling_number => <<"0312345678">>, called_number => <<"1001">>,
                 offer_timestamp => 1700000009000000, hangup_timestamp => 1700000010000000,
                 last_event => 'CHANNEL_HANGUP', last_event_data => <<"recv_cancel,ORIGINATOR_CANCEL">>}),
       updated}, ?V2},
     {"info_event-channel-removed",
      {info_event, channel,
       rec(Ch, #{uuid => <<"c0000000-0000-4000-8000-000000000101">>, direction => inbound,
                 peer_location => external, state => {1700000020000000, bridged},
                 hangup_timestamp => 1700000020000000, last_event => 'CHANNEL_HANGUP',
                 last_event_data => <<"recv_bye,NORMAL_CLEARING">>, end_user => <<"*****">>}),
       removed}, ?V2},
     %% an older server again: a Latin-1 atom (é is one byte in ATOM_EXT) as an unknown state
     {"info_event-channel-latin1-unknown-state",
      {info_event, channel,
       rec(Ch, #{uuid => <<"c0000000-0000-4000-8000-000000000104">>, direction => outbound,
                 peer_location => internal,
                 state => {1700000030000000, list_to_atom("attente_café"), 42, <<"x">>},
                 last_event => list_to_atom("ÉTAT")}),
       updated}, ?V1},
     {"info_event-channel_waiting-added",
      {info_event, channel_waiting,
       rec(Ch, #{uuid => <<"c0000000-0000-4000-8000-000000000105">>, direction => inbound,
                 peer_location => external,
                 state => {1700000040000000, calling, int, group, {ring, 10001111, <<"group1">>, 0, <<"q-10001111">>}},
                 calling_name => u("佐藤 次郎"), calling_number => <<"0311112222">>,
                 end_user => sato(), origination => <<"***">>, tags => <<>>,
                 last_event => 'STATE_CHANGE'}),
       added}, ?V2},
     {"info_event-user-updated",
      {info_event, user,
       rec(user_spec(), #{id => 10001001, name => <<"user1">>, fwd_always_status => 0,
                          do_not_disturb_status => 1, language => 1, main_extension => <<"1001">>,
                          presence => 1, role => 10, park_group => 1, flags => 0,
                          email => <<"yamada@example.jp">>, avatar => <<>>,
                          label => u("山田 太郎"), mwi => <<"12/30 (2/1)">>}),
       updated}, ?V2},
     {"info_event-group_member-removed",
      {info_event, group_member,
       rec(group_member_spec(), #{id => 110001002, group_id => 10001111, user_id => 10001002,
                                  priority => 1, login_status => 0, role => 1}),
       removed}, ?V2},
     {"info_event-terminal-updated",
      {info_event, terminal, {20001, <<"t1001">>, 10001001, sip, u("電話機/2.1 (テスト)"), true}, updated}, ?V2},
     {"initial_info-user-compressed", {initial_info, user, many_users(40)}, [{compressed, 9} | ?V2]},
     {"initial_info-channel-bad-record", {initial_info, channel, bad_record_channels()}, ?V2},
     {"field_spec-domain", {field_spec, domain, domain_spec()}, ?V2},
     {"initial_info-domain",
      {initial_info, domain, [rec(domain_spec(), #{id => 1, name => <<"test1.com">>, label => u("テスト株式会社"),
                                                   park_slot_start => 901, park_slot_end => 910})]}, ?V2},
     %% --- an element we don't know, carrying every number shape ---
     {"field_spec-x_metrics", {field_spec, x_metrics, metrics_spec()}, ?V2},
     {"initial_info-x_metrics-numbers",
      {initial_info, x_metrics,
       [rec(metrics_spec(), #{id => 1, small => 255, byte_edge => 256, int_min => -2147483648,
                              neg_small => -1, neg_big_int => -1099511627776, ts => 1546839040024071,
                              big_pos => 18446744073709551616, big_neg => -1180591620717411303424,
                              huge => 9007199254740993, float_pos => 3.25, float_neg => -0.5,
                              float_big => 1.0e300, float_int => 2.0, text => u("日本語テキスト"),
                              charlist => "abc"})]}, ?V2},
     {"system_msg-connection_limit_reached", {system_msg, connection_limit_reached}, ?V2},
     {"system_msg-connection_replaced", {system_msg, connection_replaced}, ?V2},
     {"system_msg-logout", {system_msg, logout}, ?V2},
     {"system_msg-unknown", {system_msg, maintenance_scheduled}, ?V1},
     {"msg-japanese", {msg, u("本日18時から保守作業を行います")}, ?V2},
     {"unknown-message", {hello, world}, ?V2}
    ].

%% One channel per state name of PROTOCOL.md, plus the translated fields.
state_channels() ->
    Ch = channel_spec(),
    C = fun(N, State, Extra) ->
                rec(Ch, maps:merge(#{uuid => list_to_binary(io_lib:format("c0000000-0000-4000-8000-~12..0b", [N])),
                                     direction => inbound, peer_location => external,
                                     state => State, offer_timestamp => 1700000000000000 + N,
                                     last_event => 'STATE_CHANGE'}, Extra))
        end,
    [C(1, {1700000000000101, calling, int, user, {10001001}},
       #{calling_name => u("山田 太郎"), calling_number => <<"0312345678">>, called_number => <<"1001">>,
         target => {user, 10001001, <<"user1">>, <<"0312345678">>},
         end_user => yamada(),
         origination => iolist_to_binary(["api*click2call*0312345678*", enc("山田 太郎")]),
         tags => <<"monitoring_required">>}),
     C(2, {1700000000000102, calling, int, group, {ring, 10001111, <<"group1">>, 0, <<"group1">>}},
       #{target => {group, 10001111, u("グループ・10001111"), <<"0312345678">>}, end_user => <<"***">>}),
     C(3, {1700000000000103, calling, ext, group, {hunt, 10001112, <<"group2">>, 0, undefined}}, #{}),
     C(4, {1700000000000104, calling, ext, pstn, {<<"0312345678">>}}, #{direction => outbound}),
     C(5, {1700000000000105, calling, ext, bridged_endpoint, {<<"1001">>, <<"pbx.example.jp">>}}, #{}),
     C(6, {1700000000000106, park, 902, 0, 10001001, u("山田 太郎")}, #{}),
     C(7, {1700000000000107, voicemail, group, 10001111, <<"group1">>}, #{}),
     C(8, {1700000000000108, checking_voicemail, u("山田 太郎")}, #{}),
     C(9, {1700000000000109, calling_siptermination, <<"sip:1001@pbx.example.jp">>}, #{}),
     C(10, {1700000000000110, ivr, 3001}, #{}),
     C(11, {1700000000000111, system_operation, <<"set_presence">>}, #{}),
     C(12, {1700000000000112, conference, <<"room-7">>}, #{}),
     C(13, {1700000000000113, eavesdrop, <<"c0000000-0000-4000-8000-000000000001">>, listening}, #{}),
     C(14, {1700000000000114, bridged},
       #{other_uuid => <<"c0000000-0000-4000-8000-000000000001">>,
         other_info => {end_user, suzuki(), inbound, external, <<"0698765432">>, 1700000000000000,
                        undefined, <<"whoscall-1">>}}),
     C(15, {1700000000000115, xml_ivr}, #{}),
     C(16, {1700000000000116, music_on_hold, 7}, #{other_info => {end_user, <<"*****">>, inbound, external,
                                                                  <<"0698765432">>, undefined, undefined, undefined}}),
     C(17, {1700000000000117, calling, int, operator_desk, {77}},
       #{end_user => <<"C-9*bad%ZZname*%E3%81*x*%E6%9D%B1">>, origination => <<>>})].

bad_record_channels() ->
    [Good1, _ | _] = state_channels(),
    Good3 = lists:nth(4, state_channels()),
    [Good1, {<<"c0000000-0000-4000-8000-0000000000ff">>, too, few}, Good3].

many_users(N) ->
    [rec(user_spec(), #{id => 10002000 + I, name => list_to_binary(io_lib:format("user~b", [I])),
                        fwd_always_status => 0, do_not_disturb_status => 0, language => 1,
                        main_extension => integer_to_binary(2000 + I), presence => I rem 4,
                        role => 10, park_group => 0, flags => 0,
                        email => list_to_binary(io_lib:format("user~b@example.jp", [I])),
                        label => u(io_lib:format("利用者~b", [I])), mwi => <<>>})
     || I <- lists:seq(1, N)].
