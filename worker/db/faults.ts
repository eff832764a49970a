/**
 * One definition of a device's active faults, for every health grade: the codes of `fault`
 * messages still raised, together with the fault_codes of its newest status sample (a code in
 * both counts once). The dashboard's JS `activeFaults` lists the same set with details.
 */
export const activeFaultCountSql = (device: string) =>
  `(SELECT COUNT(*) FROM (
      SELECT code FROM device_faults WHERE device_id = ${device}.id AND active = 1
      UNION SELECT value FROM json_each(COALESCE(${device}.fault_codes, '[]'))))`;
