<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArchiveContactDialog</name>
    <message>
        <source>Archive the contact %1?</source>
        <translation>归档联系人“%1”？</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>An archived contact leaves this list and the search on every device of the team; the record is kept.</source>
        <translation>归档后，该联系人会从团队所有设备的联系人列表和搜索中移除；记录会保留。</translation>
    </message>
</context>
<context>
    <name>ArchiveCustomerDialog</name>
    <message>
        <source>Archive %1?</source>
        <translation>归档“%1”？</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>An archived customer leaves the customer list and the reports on every device of the team. Its visits, contacts and complaints are kept.</source>
        <translation>归档后，该客户会从团队所有设备的客户列表和报表中移除；其拜访、联系人和投诉记录会保留。</translation>
    </message>
</context>
<context>
    <name>CancelPlanDialog</name>
    <message>
        <source>Cancel the visit to %1?</source>
        <translation>取消对 %1 的拜访？</translation>
    </message>
    <message>
        <source>Cancel visit</source>
        <translation>取消拜访</translation>
    </message>
    <message>
        <source>The plan stays in the customer&apos;s history, marked cancelled. A visit already checked in cannot be cancelled.</source>
        <translation>计划会保留在客户记录中，并标记为已取消。已签到的拜访不能取消。</translation>
    </message>
    <message>
        <source>Reason (optional)</source>
        <translation>原因（选填）</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <source>New complaint from %1</source>
        <translation>登记 %1 的投诉</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>During a visit</source>
        <translation>拜访时</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
</context>
<context>
    <name>ComplaintRow</name>
    <message>
        <source>Satisfaction after: %1/5</source>
        <translation>处理后满意度：%1/5</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
</context>
<context>
    <name>ComplaintsPage</name>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Open only</source>
        <translation>仅看未结</translation>
    </message>
    <message>
        <source>Resolution (needed to answer)</source>
        <translation>处理结果（答复时必填）</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>No open complaints</source>
        <translation>没有未结的投诉</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Satisfaction after: %1/5</source>
        <translation>处理后满意度：%1/5</translation>
    </message>
    <message>
        <source>Satisfaction after</source>
        <translation>处理后满意度</translation>
    </message>
    <message>
        <source>Not asked</source>
        <translation>未询问</translation>
    </message>
</context>
<context>
    <name>ConflictDelegate</name>
    <message>
        <source>on this device only</source>
        <translation>仅本设备</translation>
    </message>
    <message>
        <source>needs you</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>logged</source>
        <translation>已记录</translation>
    </message>
    <message>
        <source>Kept: %1</source>
        <translation>保留：%1</translation>
    </message>
    <message>
        <source>Other: %1</source>
        <translation>另一个：%1</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
</context>
<context>
    <name>ConflictDetail</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ 返回</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Kept value</source>
        <translation>保留的值</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>另一个值</translation>
    </message>
    <message>
        <source>Keep this</source>
        <translation>保留此值</translation>
    </message>
    <message>
        <source>Use this</source>
        <translation>采用此值</translation>
    </message>
    <message>
        <source>Or write another value:</source>
        <translation>或填写新的值：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Seen on this device only: the server logs it on the next sync, then it can be resolved.</source>
        <translation>仅在本设备上发现：下次同步后服务器会记录此冲突，届时即可处理。</translation>
    </message>
    <message>
        <source>Select a conflict</source>
        <translation>请选择一条冲突</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>No conflicts to resolve</source>
        <translation>没有需要处理的冲突</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Edit contact</source>
        <translation>编辑联系人</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮件</translation>
    </message>
</context>
<context>
    <name>ContactRow</name>
    <message>
        <source>primary</source>
        <translation>主要联系人</translation>
    </message>
    <message>
        <source>Make primary</source>
        <translation>设为主要联系人</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
</context>
<context>
    <name>CustomerDelegate</name>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>领取</translation>
    </message>
</context>
<context>
    <name>CustomerHeader</name>
    <message>
        <source>Owner: %1</source>
        <translation>负责人：%1</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
</context>
<context>
    <name>CustomerPage</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ 返回</translation>
    </message>
    <message>
        <source>This customer is not on this device</source>
        <translation>此客户不在本设备上</translation>
    </message>
    <message>
        <source>Select a customer</source>
        <translation>请选择客户</translation>
    </message>
    <message>
        <source>Start visit</source>
        <translation>开始拜访</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>拜访记录</translation>
    </message>
    <message>
        <source>No visits yet</source>
        <translation>暂无拜访</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>%1: %2 (other value: %3)</source>
        <translation>%1：%2（另一值：%3）</translation>
    </message>
    <message>
        <source>Plan visit</source>
        <translation>计划拜访</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <source>History</source>
        <translation>修改记录</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>收起</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>展开</translation>
    </message>
    <message>
        <source>Each field&apos;s current value, when it was written and by which device. This device keeps no older values; values overwritten by a concurrent edit are listed last.</source>
        <translation>每个字段的当前值、写入时间和写入设备。本设备不保留更早的值；被同时修改覆盖的值列在最后。</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Annual sales</source>
        <translation>年销售额</translation>
    </message>
    <message>
        <source>¥%1</source>
        <translation>¥%1</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Search by name, pinyin, initials or phone</source>
        <translation>按名称、拼音、首字母或电话搜索</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <source>Level A</source>
        <translation>A 级</translation>
    </message>
    <message>
        <source>Level B</source>
        <translation>B 级</translation>
    </message>
    <message>
        <source>Level C</source>
        <translation>C 级</translation>
    </message>
    <message>
        <source>Level D</source>
        <translation>D 级</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>By name</source>
        <translation>按名称</translation>
    </message>
    <message>
        <source>Longest unvisited</source>
        <translation>最久未拜访</translation>
    </message>
    <message>
        <source>By level</source>
        <translation>按等级</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>共 %n 位客户</numerusform>
        </translation>
    </message>
    <message>
        <source>No customers found</source>
        <translation>没有找到客户</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message numerus="yes">
        <source>%n similar customer(s) already on this device. Open one, or save anyway.</source>
        <translation>
            <numerusform>本设备上已有 %n 位相似客户（可能撞单）。可打开查看，或仍然保存。</numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>Tags (separated by commas)</source>
        <translation>标签（用逗号分隔）</translation>
    </message>
    <message>
        <source>First contact</source>
        <translation>首位联系人</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>联系人姓名</translation>
    </message>
    <message>
        <source>Contact title</source>
        <translation>联系人职务</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>联系人电话</translation>
    </message>
</context>
<context>
    <name>ExportView</name>
    <message>
        <source>Export to CSV (opens in Excel)</source>
        <translation>导出为 CSV（可用 Excel 打开）</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>拜访记录</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>From (yyyy-MM-dd)</source>
        <translation>开始日期（yyyy-MM-dd）</translation>
    </message>
    <message>
        <source>To, included (yyyy-MM-dd)</source>
        <translation>结束日期，含当天（yyyy-MM-dd）</translation>
    </message>
    <message>
        <source>File (empty: the documents folder)</source>
        <translation>文件（留空：文档文件夹）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n row(s) to %1</source>
        <translation>
            <numerusform>已写入 %n 行到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>导出内容</translation>
    </message>
</context>
<context>
    <name>FieldHistoryRow</name>
    <message>
        <source>Overwritten · </source>
        <translation>已被覆盖 · </translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已处理</translation>
    </message>
</context>
<context>
    <name>FieldLabels</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Company size</source>
        <translation>企业规模</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Annual sales</source>
        <translation>年销售额</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Primary contact</source>
        <translation>主要联系人</translation>
    </message>
    <message>
        <source>Sales rep</source>
        <translation>销售代表</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Planned for</source>
        <translation>计划时间</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>下次回访</translation>
    </message>
    <message>
        <source>Order amount</source>
        <translation>订单金额</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Satisfaction afterwards</source>
        <translation>处理后满意度</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Reason for voiding</source>
        <translation>作废原因</translation>
    </message>
    <message>
        <source>Visit notes</source>
        <translation>拜访记录</translation>
    </message>
    <message>
        <source>Job title</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>拍摄时间</translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation>上传时间</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>fieldsync</source>
        <translation>fieldsync 外勤</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
</context>
<context>
    <name>PlanVisitDialog</name>
    <message>
        <source>Plan a visit to %1</source>
        <translation>计划拜访 %1</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Date and time (yyyy-MM-dd HH:mm)</source>
        <translation>日期和时间（yyyy-MM-dd HH:mm）</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>送货</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
</context>
<context>
    <name>PoolReturnView</name>
    <message>
        <source>Customers with no visit, and no new owner, in this many days lose their owner and go to the team&apos;s public pool.</source>
        <translation>在这么多天内既没有拜访、也没有更换负责人的客户，将失去负责人，退回本团队的公海。</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) would return to the pool</source>
        <translation>
            <numerusform>将有 %n 位客户退回公海</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>idle %n day(s)</source>
        <translation>
            <numerusform>闲置 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>last visit %1</source>
        <translation>最近拜访 %1</translation>
    </message>
    <message>
        <source>never visited</source>
        <translation>从未拜访</translation>
    </message>
    <message numerus="yes">
        <source>Return %n to the pool</source>
        <translation>
            <numerusform>将 %n 位客户退回公海</numerusform>
        </translation>
    </message>
    <message>
        <source>Return to the public pool?</source>
        <translation>退回公海？</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) idle for %1 days will lose their owner. Every rep of the team can then claim them.</source>
        <translation>
            <numerusform>%n 位已闲置 %1 天的客户将失去负责人，之后团队中的每位销售都可以认领。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Edit profile</source>
        <translation>编辑客户档案</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Annual sales (yuan)</source>
        <translation>年销售额（元）</translation>
    </message>
    <message>
        <source>Location (latitude, longitude)</source>
        <translation>位置（纬度, 经度）</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>生命周期</translation>
    </message>
    <message>
        <source>Tags (separated by commas)</source>
        <translation>标签（用逗号分隔）</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>RejectedPage</name>
    <message>
        <source>Rejected changes</source>
        <translation>被拒绝的更改</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No rejected changes</source>
        <translation>没有被拒绝的更改</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Why: %1</source>
        <translation>原因：%1</translation>
    </message>
</context>
<context>
    <name>RescheduleDialog</name>
    <message>
        <source>Reschedule the visit to %1</source>
        <translation>改期拜访 %1</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>改期</translation>
    </message>
    <message>
        <source>Date and time (yyyy-MM-dd HH:mm)</source>
        <translation>日期和时间（yyyy-MM-dd HH:mm）</translation>
    </message>
</context>
<context>
    <name>RowNames</name>
    <message>
        <source>team %1</source>
        <translation>团队 %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>a record no longer on this device</source>
        <translation>本机上已没有的记录</translation>
    </message>
    <message>
        <source>It belongs to a customer that is not yours, or no longer yours.</source>
        <translation>它属于不是你的客户，或已不再是你的客户。</translation>
    </message>
    <message>
        <source>A new customer can only be created for your own team.</source>
        <translation>新客户只能为你自己的团队创建。</translation>
    </message>
    <message>
        <source>Someone else claimed this customer first.</source>
        <translation>这个客户已被别人先领取。</translation>
    </message>
    <message>
        <source>Only a manager can void a visit.</source>
        <translation>只有经理可以作废拜访记录。</translation>
    </message>
    <message>
        <source>Only a manager of the team can change its settings.</source>
        <translation>只有本团队的经理可以修改团队设置。</translation>
    </message>
    <message>
        <source>Only a manager can reassign a customer.</source>
        <translation>只有经理可以重新分配客户。</translation>
    </message>
    <message>
        <source>Your role does not allow this change.</source>
        <translation>你的角色不允许这项修改。</translation>
    </message>
    <message>
        <source>Its customer is not on the server (it may have been removed).</source>
        <translation>服务器上没有它所属的客户（可能已被删除）。</translation>
    </message>
    <message>
        <source>A record cannot be moved to another customer.</source>
        <translation>记录不能移到另一个客户名下。</translation>
    </message>
    <message>
        <source>A customer cannot be moved to another team this way; a manager reassigns it.</source>
        <translation>客户不能这样移到另一个团队；请由经理重新分配。</translation>
    </message>
    <message>
        <source>It refers to a record you cannot see.</source>
        <translation>它引用了你无权查看的记录。</translation>
    </message>
    <message>
        <source>The server did not accept this change.</source>
        <translation>服务器没有接受这项修改。</translation>
    </message>
</context>
<context>
    <name>SectionHeader</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>This device was signed out by the server (by an administrator, or a sign-out elsewhere). Sign in again.</source>
        <translation>本设备已被服务器注销（管理员操作，或在别处退出登录）。请重新登录。</translation>
    </message>
    <message>
        <source>Cannot reach the server (%1). Check the address and the network.</source>
        <translation>无法连接服务器（%1）。请检查地址和网络。</translation>
    </message>
    <message>
        <source>Invalid input: %1</source>
        <translation>输入无效：%1</translation>
    </message>
    <message>
        <source>Too many attempts; try again later (%1).</source>
        <translation>尝试次数过多，请稍后再试（%1）。</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <source>Not allowed: %1</source>
        <translation>无权操作：%1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Sales rep</source>
        <translation>销售代表</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Last problem: %1</source>
        <translation>上次问题：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n 条更改等待发送</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Signing out sends your pending changes, then removes all customer data from this device.</source>
        <translation>退出登录会先发送待同步的更改，然后删除本设备上的全部客户数据。</translation>
    </message>
    <message>
        <source>Sending changes…</source>
        <translation>正在发送更改…</translation>
    </message>
    <message>
        <source>Sign out?</source>
        <translation>退出登录？</translation>
    </message>
    <message>
        <source>All data on this device will be removed after your changes are sent.</source>
        <translation>发送您的更改后，本设备上的所有数据将被删除。</translation>
    </message>
    <message>
        <source>Changes not sent</source>
        <translation>更改未发送</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) could not be sent to the server and will be lost if you sign out now.</source>
        <translation>
            <numerusform>有 %n 条更改未能发送到服务器，现在退出将会丢失。</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign out and lose them</source>
        <translation>退出并丢弃这些更改</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>fieldsync</source>
        <translation>fieldsync 外勤</translation>
    </message>
    <message>
        <source>Sign in to your company&apos;s sync server. After the first sign-in the app works offline.</source>
        <translation>登录公司的同步服务器。首次登录后即可离线使用。</translation>
    </message>
    <message>
        <source>Server address, e.g. https://sync.example.com</source>
        <translation>服务器地址，例如 https://sync.example.com</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message numerus="yes">
        <source>%n rejected</source>
        <translation>
            <numerusform>%n 条被拒绝</numerusform>
        </translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>%1 已同步</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>从未同步</translation>
    </message>
</context>
<context>
    <name>TeamFeedView</name>
    <message>
        <source>All reps</source>
        <translation>全部业务员</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Flagged only</source>
        <translation>仅看异常</translation>
    </message>
    <message>
        <source>Every check-in</source>
        <translation>全部签到</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>未核实</translation>
    </message>
    <message>
        <source>Suspicious</source>
        <translation>可疑</translation>
    </message>
    <message>
        <source>Far (%1 m)</source>
        <translation>过远（%1 米）</translation>
    </message>
    <message>
        <source>No location</source>
        <translation>无定位</translation>
    </message>
    <message>
        <source>Order ¥%1</source>
        <translation>订单 ¥%1</translation>
    </message>
    <message>
        <source>No visits</source>
        <translation>暂无拜访</translation>
    </message>
    <message>
        <source>Rep</source>
        <translation>业务员</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <source>Check-in verdict</source>
        <translation>签到核实结果</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Key-account coverage this month: %1 of %2 (%3%)</source>
        <translation>本月重点客户覆盖：%1 / %2（%3%）</translation>
    </message>
    <message>
        <source>Visit feed</source>
        <translation>拜访动态</translation>
    </message>
    <message>
        <source>Churn risk (%1)</source>
        <translation>流失预警（%1）</translation>
    </message>
    <message>
        <source>No customers at risk</source>
        <translation>没有流失风险客户</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC 分类</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>分配客户</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>By annual sales: A up to 75% of the total, B up to 95%, C the rest. The level set by hand is shown beside it.</source>
        <translation>按年销售额：累计占总额 75% 以内为 A，95% 以内为 B，其余为 C。旁边显示手动设定的等级。</translation>
    </message>
    <message>
        <source>Sales ¥%1 · level %2</source>
        <translation>销售额 ¥%1 · 等级 %2</translation>
    </message>
    <message>
        <source>Search customers (name, pinyin, phone)</source>
        <translation>搜索客户（名称、拼音、电话）</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <source>To</source>
        <translation>分配给</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n</source>
        <translation>
            <numerusform>分配 %n 位客户</numerusform>
        </translation>
    </message>
    <message>
        <source>Return to pool</source>
        <translation>退回公海</translation>
    </message>
    <message numerus="yes">
        <source>%n suspicious</source>
        <translation>
            <numerusform>%n 次可疑</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unverified</source>
        <translation>
            <numerusform>%n 次未核实</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n 次拜访</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Nothing due today</source>
        <translation>今天没有待办</translation>
    </message>
</context>
<context>
    <name>VisitPage</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ 返回</translation>
    </message>
    <message>
        <source>Visit · %1</source>
        <translation>拜访 · %1</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <source>Locating…</source>
        <translation>正在定位…</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>No location on this device: the check-in is saved without a position and marked.</source>
        <translation>本设备无法定位：签到将不带位置保存，并会被标记。</translation>
    </message>
    <message>
        <source>Checked in at %1 without a location</source>
        <translation>%1 签到（无定位）</translation>
    </message>
    <message>
        <source>Checked in at %1 · %2, %3 (±%4 m)</source>
        <translation>%1 签到 · %2, %3（±%4 米）</translation>
    </message>
    <message>
        <source>%1 m from the customer&apos;s recorded location (the team&apos;s radius is %2 m). The visit is flagged for your manager.</source>
        <translation>距客户登记位置 %1 米（团队签到半径为 %2 米），此次拜访会标记给主管。</translation>
    </message>
    <message>
        <source>No location: the visit is marked for your manager.</source>
        <translation>无定位：此次拜访会标记给主管。</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>拜访记录</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>拜访结果</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Order amount (¥)</source>
        <translation>订单金额（¥）</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>下次回访</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不安排</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>明天</translation>
    </message>
    <message>
        <source>In 3 days</source>
        <translation>3 天后</translation>
    </message>
    <message>
        <source>In a week</source>
        <translation>一周后</translation>
    </message>
    <message>
        <source>In two weeks</source>
        <translation>两周后</translation>
    </message>
    <message>
        <source>In a month</source>
        <translation>一个月后</translation>
    </message>
    <message>
        <source>Check out</source>
        <translation>签退</translation>
    </message>
    <message>
        <source>Visit completed. It syncs with the next connection.</source>
        <translation>拜访已完成，将在下次联网时同步。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>VisitPlanCard</name>
    <message>
        <source>Planned for %1 · %2</source>
        <translation>计划于 %1 · %2</translation>
    </message>
    <message>
        <source>Purpose: %1</source>
        <translation>目的：%1</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>电话：%1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>已取消：%1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>改期</translation>
    </message>
    <message>
        <source>Cancel visit</source>
        <translation>取消拜访</translation>
    </message>
</context>
<context>
    <name>VisitTimelineRow</name>
    <message>
        <source>Far from the customer (%1 m)</source>
        <translation>距客户 %1 米（过远）</translation>
    </message>
    <message>
        <source>No location</source>
        <translation>无定位</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>已取消：%1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Voided: %1</source>
        <translation>已作废：%1</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Order ¥%1</source>
        <translation>订单 ¥%1</translation>
    </message>
</context>
<context>
    <name>VoidVisitDialog</name>
    <message>
        <source>Void this visit?</source>
        <translation>作废这次拜访？</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>A voided visit stays on the timeline, marked, and counts in no report.</source>
        <translation>作废的拜访仍留在时间线上并加标记，不计入任何报表。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>WeekChart</name>
    <message>
        <source>Visits per day this week</source>
        <translation>本周每日拜访</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>拜访次数</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::AssignController</name>
    <message numerus="yes">
        <source>%n customer(s) now belong to %1</source>
        <translation>
            <numerusform>%n 位客户已归属 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ChurnModel</name>
    <message>
        <source>No visit or order for 60 days</source>
        <translation>60 天无拜访或订单</translation>
    </message>
    <message>
        <source>Open complaint</source>
        <translation>有未结投诉</translation>
    </message>
    <message>
        <source>Falling satisfaction</source>
        <translation>满意度下降</translation>
    </message>
    <message>
        <source>Key customer overdue for a visit</source>
        <translation>重点客户拜访逾期</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ComplaintsModel</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>During a visit</source>
        <translation>拜访时</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已受理</translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation>调查中</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Followed up</source>
        <translation>已回访</translation>
    </message>
    <message>
        <source>Describe the complaint</source>
        <translation>请填写投诉内容</translation>
    </message>
    <message>
        <source>This complaint is still open</source>
        <translation>这条投诉尚未结案</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ConflictsModel</name>
    <message>
        <source>No such conflict.</source>
        <translation>没有这条冲突。</translation>
    </message>
    <message>
        <source>This conflict is only known on this device so far; sync first, then resolve it.</source>
        <translation>此冲突目前只在本设备上出现；请先同步，再处理。</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::CustomerDetail</name>
    <message>
        <source>Lead</source>
        <translation>潜在客户</translation>
    </message>
    <message>
        <source>First purchase</source>
        <translation>首购</translation>
    </message>
    <message>
        <source>Repeat buyer</source>
        <translation>复购</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>忠诚</translation>
    </message>
    <message>
        <source>Churned</source>
        <translation>流失</translation>
    </message>
    <message>
        <source>Micro</source>
        <translation>微型</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>小型</translation>
    </message>
    <message>
        <source>Medium-sized</source>
        <translation>中型</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>大型</translation>
    </message>
    <message>
        <source>Enterprise group</source>
        <translation>集团</translation>
    </message>
    <message>
        <source>Enter the annual sales as a number, e.g. 1200000</source>
        <translation>请用数字填写年销售额，例如 1200000</translation>
    </message>
    <message>
        <source>Enter the location as latitude, longitude, e.g. 30.2346, 120.1269</source>
        <translation>请按“纬度, 经度”填写位置，例如 30.2346, 120.1269</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::CustomersModel</name>
    <message>
        <source>No such customer.</source>
        <translation>没有这位客户。</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ExportController</name>
    <message>
        <source>Choose visits or customers</source>
        <translation>请选择拜访记录或客户</translation>
    </message>
    <message>
        <source>Enter dates as 2026-11-01</source>
        <translation>请按 2026-11-01 的格式输入日期</translation>
    </message>
    <message>
        <source>The range ends before it starts</source>
        <translation>结束日期早于开始日期</translation>
    </message>
    <message>
        <source>%1 already exists: choose another file</source>
        <translation>%1 已存在：请换一个文件</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::FieldHistoryModel</name>
    <message>
        <source>This device, not synced yet</source>
        <translation>本设备，尚未同步</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>本设备</translation>
    </message>
    <message>
        <source>Unknown device</source>
        <translation>未知设备</translation>
    </message>
    <message>
        <source>Device %1</source>
        <translation>设备 %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::LocationSource</name>
    <message>
        <source>No location source on this device</source>
        <translation>本设备没有定位来源</translation>
    </message>
    <message>
        <source>Location permission denied</source>
        <translation>定位权限被拒绝</translation>
    </message>
    <message>
        <source>No location fix in time</source>
        <translation>定位超时</translation>
    </message>
    <message>
        <source>Location unavailable</source>
        <translation>无法定位</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::NewCustomerController</name>
    <message>
        <source>Same phone number</source>
        <translation>电话相同</translation>
    </message>
    <message>
        <source>Same name</source>
        <translation>名称相同</translation>
    </message>
    <message>
        <source>Name sounds the same</source>
        <translation>名称读音相同</translation>
    </message>
    <message>
        <source>Similar name</source>
        <translation>名称相近</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::PoolReturnController</name>
    <message>
        <source>Enter a number of days from 1 to 3650</source>
        <translation>请输入 1 到 3650 之间的天数</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) returned to the public pool</source>
        <translation>
            <numerusform>已将 %n 位客户退回公海</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fieldsync::app::Session</name>
    <message>
        <source>The server address must start with http:// or https://</source>
        <translation>服务器地址必须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>Use the server&apos;s https:// address: plain http:// is only for a server on this device.</source>
        <translation>请使用服务器的 https:// 地址：http:// 仅用于本机上的服务器。</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>The server did not accept every change.</source>
        <translation>服务器没有接受全部更改。</translation>
    </message>
    <message>
        <source>Could not remove this device&apos;s data: %1</source>
        <translation>无法删除本设备上的数据：%1</translation>
    </message>
    <message numerus="yes">
        <source>This device was signed out by the server, and its data was removed from this device; %n unsynced change(s) were lost. Sign in again.</source>
        <translation>
            <numerusform>本设备已被服务器注销，设备上的数据已删除；%n 项未同步的更改已丢失。请重新登录。</numerusform>
        </translation>
    </message>
    <message>
        <source>This device was signed out by the server, and its data was removed from this device. Sign in again.</source>
        <translation>本设备已被服务器注销，设备上的数据已删除。请重新登录。</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::SyncMonitor</name>
    <message>
        <source>Nothing waiting</source>
        <translation>没有待同步的内容</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n 次拜访</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n follow-up(s)</source>
        <translation>
            <numerusform>%n 个回访</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 位客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s)</source>
        <translation>
            <numerusform>%n 位联系人</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s)</source>
        <translation>
            <numerusform>%n 条投诉</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) resolved</source>
        <translation>
            <numerusform>%n 处冲突处理</numerusform>
        </translation>
    </message>
    <message>
        <source>team settings</source>
        <translation>团队设置</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n 项更改待同步</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <extracomment>&quot;1 visit, 1 follow-up waiting&quot;</extracomment>
        <translation>%1待同步</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n 张照片</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fieldsync::app::TodayModel</name>
    <message>
        <source>Planned visits</source>
        <translation>今日计划拜访</translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation>待办回访</translation>
    </message>
    <message>
        <source>Key customers to visit</source>
        <translation>待拜访的重点客户</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) since the last visit</source>
        <translation>
            <numerusform>距上次拜访 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>Never visited</source>
        <translation>从未拜访</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::VisitController</name>
    <message>
        <source>The next follow-up cannot be in the past</source>
        <translation>下次回访不能早于今天</translation>
    </message>
    <message>
        <source>The order amount must be an amount of yuan, like 12500, 12,500, ¥12,500 or 1.2万</source>
        <translation>订单金额请填写人民币金额，例如 12500、12,500、¥12,500 或 1.2万</translation>
    </message>
    <message>
        <source>Enter the date and time as 2026-11-23 09:30</source>
        <translation>请按 2026-11-23 09:30 的格式输入日期和时间</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::VisitsModel</name>
    <message>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Complaint visit</source>
        <translation>投诉处理</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>送货</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>已计划</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已签到</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Enter the date and time as 2026-11-23 09:30</source>
        <translation>请按 2026-11-23 09:30 的格式输入日期和时间</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <source>Suspicious</source>
        <translation>可疑</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>未核实</translation>
    </message>
    <message>
        <source>no location</source>
        <translation>无定位</translation>
    </message>
    <message>
        <source>the customer has no location</source>
        <translation>客户未登记位置</translation>
    </message>
    <message>
        <source>imprecise location</source>
        <translation>定位不精确</translation>
    </message>
    <message>
        <source>far from the customer</source>
        <translation>距客户太远</translation>
    </message>
    <message>
        <source>the phone&apos;s clock was wrong</source>
        <translation>手机时间不准</translation>
    </message>
    <message>
        <source>a very short visit</source>
        <translation>停留时间过短</translation>
    </message>
    <message>
        <source>too far from the previous check-in for the time between</source>
        <translation>与上一次签到距离太远、间隔太短</translation>
    </message>
    <message>
        <source>a simulated location</source>
        <translation>模拟定位</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>a verdict and its reasons</extracomment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1 (not confirmed by the server yet)</source>
        <translation>%1（服务器尚未确认）</translation>
    </message>
</context>
</TS>
