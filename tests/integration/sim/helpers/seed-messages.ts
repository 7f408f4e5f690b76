/**
 * The ten request examples of the seed (ws-messages.md), byte for byte: the simulator must
 * accept each exactly as written, stray spaces and trailing whitespace included.
 */
export const SEED_MESSAGES = {
  /** 签入 */
  checkin:
    '{\n  "req_id": "22222222222",\n  "company_code": "90001",\n  "msg_type": "checkin",\n  "ext_id": "90001_20000",\n  "agent_id": "90001_20000",\n  "agent_pwd": "Aa123321.",\n  "agent_ip": "172.0.18.24",\n  "os": "Windows"\n}\n',
  /** 外呼 */
  call: '{\n  "req_id": "11111",\n  "company_code": "90001",\n  "msg_type": "call",\n  "callee_number": "90001_20003",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "is_video": "0",\n  "pixels": "",\n  "out_line": 0,\n  "audio": 3,\n  "video": 3,\n  "max_ring_time": "",\n  "max_call_time": "",\n  "record_start": "",\n  "record_contact": "",\n  "is_stereo": "",\n  "os": "Windows",\n  "record_suffix": "wav"\n}\n',
  /** 咨询 */
  consult:
    '{\n  "req_id": "b69912ae-0414-11ee-aaf24-174c4c2dfe01",\n  "company_code": "90001",\n  "msg_type": "consult",\n  "type": "1",\n  "consult_type": "0",\n  "uuid": "call-c9dba05f401f4b4dae601d3f7002d178",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "os": "Windows",\n  "consult_number": "90001_40001"\n}\n',
  /** 转接 */
  trans_1:
    '{\n  "req_id": "b69912ae-0414-11ee-aaf24-174c4c2dfe01",\n  "company_code": "90001",\n  "msg_type": "trans",\n  "uuid": "call-fc63e8eeb061490abaecfbaa96278dbc",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "os": "Windows",\n  "type": "2",\n  "trans_type": 1,\n  "trans_number": "90001_20004"\n}\n',
  /** 转接 */
  trans_2:
    '{\n  "req_id": "b69912ae-0414-11ee-aaf24-174c4c2dfe01",\n  "company_code": "90001",\n  "msg_type": "trans",\n  "uuid": "call-9ae84b1052cd43739d88bf86304e68d3",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "os": "Windows",\n  "type": "1",\n  "trans_type": 4,\n  "trans_number": "13107618845"\n}\n',
  /** 三方通话 */
  three_way:
    '{\n  "req_id": "b69912ae-0414-11ee-aaf24-174c4c2dfe01",\n  "company_code": "90001",\n  "msg_type": "three_way",\n  "uuid": "call-4b8091dad15147ada5f7971fe097023d",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "os": "Windows",\n  "three_way_type": "0",\n  "three_way_number": "90001_20004"\n}\n',
  /** 状态切换 */
  change_status:
    '{\n  "req_id": "b69912ae-0414-11ee-aaf4-174c4c2dfe01",\n  "msg_type": "change_status",\n  "company_code": "90001",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "action": "MAKE_FREE",\n  "rest_min": null,\n  "os": "Windows"\n}\n',
  /** 挂断 */
  hangup:
    '{\n  "req_id": "b69912ae-0414-111ee-aaf4-174c4c2dfe01",\n  "company_code": "90001",\n  "msg_type": "hangup",\n  "uuid": "call-83c7b9a0e2f84f32a664462290b9ed0a",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "os": "Windows"\n}\n',
  /** 查询坐席状态 */
  get_status:
    '{\n  "req_id": "b69912ae-0414-111ee-aaf4-174c4c2dfe01",\n  "company_code": "90001",\n  "msg_type": "get_status",\n  "agent_id": "90001_20000",\n  "ext_id": "90001_20000",\n  "os": "Windows"\n} \n',
  /** 强拆 */
  interrupt_call:
    '{ \n    "req_id":"b69912ae-0414-11ee-aaf4-174c4c2dfe01", \n    "company_code":"90001", \n    "msg_type":" interrupt_call", \n    "agent_id":"90001_20004", \n    "ext_id":"90001_20004" ,\n    "operated_ext_id":"90001_20000" ,\n    "operated_agent_id":"90001_20000",\n    "os": "Windows"\n} \n\n',
  /** 代接 */
  substitute:
    '{ \n    "req_id":"b69912ae-0414-11ee-aaf4-174c4c2dfe01", \n    "company_code":"90001", \n    "msg_type":"substitute", \n    "agent_id":"90001_20004", \n    "ext_id":"90001_20004" ,\n    "operated_ext_id":"90001_20000" ,\n    "operated_agent_id":"90001_20000",\n    "os": "Windows"\n} \n\n',
} as const;

export type TSeedMessageName = keyof typeof SEED_MESSAGES;
