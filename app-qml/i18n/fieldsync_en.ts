<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ArchiveContactDialog</name>
    <message>
        <source>Archive the contact %1?</source>
        <translation>Archive the contact %1?</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>An archived contact leaves this list and the search on every device of the team; the record is kept.</source>
        <translation>An archived contact leaves this list and the search on every device of the team; the record is kept.</translation>
    </message>
</context>
<context>
    <name>ArchiveCustomerDialog</name>
    <message>
        <source>Archive %1?</source>
        <translation>Archive %1?</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>An archived customer leaves the customer list and the reports on every device of the team. Its visits, contacts and complaints are kept.</source>
        <translation>An archived customer leaves the customer list and the reports on every device of the team. Its visits, contacts and complaints are kept.</translation>
    </message>
</context>
<context>
    <name>CancelPlanDialog</name>
    <message>
        <source>Cancel the visit to %1?</source>
        <translation>Cancel the visit to %1?</translation>
    </message>
    <message>
        <source>Cancel visit</source>
        <translation>Cancel visit</translation>
    </message>
    <message>
        <source>The plan stays in the customer&apos;s history, marked cancelled. A visit already checked in cannot be cancelled.</source>
        <translation>The plan stays in the customer&apos;s history, marked cancelled. A visit already checked in cannot be cancelled.</translation>
    </message>
    <message>
        <source>Reason (optional)</source>
        <translation>Reason (optional)</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <source>New complaint from %1</source>
        <translation>New complaint from %1</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>During a visit</source>
        <translation>During a visit</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Medium</translation>
    </message>
    <message>
        <source>High</source>
        <translation>High</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
</context>
<context>
    <name>ComplaintRow</name>
    <message>
        <source>Satisfaction after: %1/5</source>
        <translation>Satisfaction after: %1/5</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reopen</translation>
    </message>
</context>
<context>
    <name>ComplaintsPage</name>
    <message>
        <source>Complaints</source>
        <translation>Complaints</translation>
    </message>
    <message>
        <source>Open only</source>
        <translation>Open only</translation>
    </message>
    <message>
        <source>Resolution (needed to answer)</source>
        <translation>Resolution (needed to answer)</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>No open complaints</source>
        <translation>No open complaints</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>Satisfaction after: %1/5</source>
        <translation>Satisfaction after: %1/5</translation>
    </message>
    <message>
        <source>Satisfaction after</source>
        <translation>Satisfaction after</translation>
    </message>
    <message>
        <source>Not asked</source>
        <translation>Not asked</translation>
    </message>
</context>
<context>
    <name>ConflictDelegate</name>
    <message>
        <source>on this device only</source>
        <translation>on this device only</translation>
    </message>
    <message>
        <source>needs you</source>
        <translation>needs you</translation>
    </message>
    <message>
        <source>logged</source>
        <translation>logged</translation>
    </message>
    <message>
        <source>Kept: %1</source>
        <translation>Kept: %1</translation>
    </message>
    <message>
        <source>Other: %1</source>
        <translation>Other: %1</translation>
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
        <translation>‹ Back</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Kept value</source>
        <translation>Kept value</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>Other value</translation>
    </message>
    <message>
        <source>Keep this</source>
        <translation>Keep this</translation>
    </message>
    <message>
        <source>Use this</source>
        <translation>Use this</translation>
    </message>
    <message>
        <source>Or write another value:</source>
        <translation>Or write another value:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Seen on this device only: the server logs it on the next sync, then it can be resolved.</source>
        <translation>Seen on this device only: the server logs it on the next sync, then it can be resolved.</translation>
    </message>
    <message>
        <source>Select a conflict</source>
        <translation>Select a conflict</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>No conflicts to resolve</source>
        <translation>No conflicts to resolve</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Edit contact</source>
        <translation>Edit contact</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>Add contact</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
</context>
<context>
    <name>ContactRow</name>
    <message>
        <source>primary</source>
        <translation>primary</translation>
    </message>
    <message>
        <source>Make primary</source>
        <translation>Make primary</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
</context>
<context>
    <name>CustomerDelegate</name>
    <message>
        <source>Overdue</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Claim</translation>
    </message>
</context>
<context>
    <name>CustomerHeader</name>
    <message>
        <source>Owner: %1</source>
        <translation>Owner: %1</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>Public pool</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
</context>
<context>
    <name>CustomerPage</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <source>This customer is not on this device</source>
        <translation>This customer is not on this device</translation>
    </message>
    <message>
        <source>Select a customer</source>
        <translation>Select a customer</translation>
    </message>
    <message>
        <source>Start visit</source>
        <translation>Start visit</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>No visits yet</source>
        <translation>No visits yet</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>Complaints</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>%1: %2 (other value: %3)</source>
        <translation>%1: %2 (other value: %3)</translation>
    </message>
    <message>
        <source>Plan visit</source>
        <translation>Plan visit</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>New complaint</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>Add contact</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Hide</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Each field&apos;s current value, when it was written and by which device. This device keeps no older values; values overwritten by a concurrent edit are listed last.</source>
        <translation>Each field&apos;s current value, when it was written and by which device. This device keeps no older values; values overwritten by a concurrent edit are listed last.</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Annual sales</source>
        <translation>Annual sales</translation>
    </message>
    <message>
        <source>¥%1</source>
        <translation>¥%1</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Location</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Search by name, pinyin, initials or phone</source>
        <translation>Search by name, pinyin, initials or phone</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>All levels</translation>
    </message>
    <message>
        <source>Level A</source>
        <translation>Level A</translation>
    </message>
    <message>
        <source>Level B</source>
        <translation>Level B</translation>
    </message>
    <message>
        <source>Level C</source>
        <translation>Level C</translation>
    </message>
    <message>
        <source>Level D</source>
        <translation>Level D</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>Public pool</translation>
    </message>
    <message>
        <source>By name</source>
        <translation>By name</translation>
    </message>
    <message>
        <source>Longest unvisited</source>
        <translation>Longest unvisited</translation>
    </message>
    <message>
        <source>By level</source>
        <translation>By level</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n customer</numerusform>
            <numerusform>%n customers</numerusform>
        </translation>
    </message>
    <message>
        <source>No customers found</source>
        <translation>No customers found</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>New customer</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message numerus="yes">
        <source>%n similar customer(s) already on this device. Open one, or save anyway.</source>
        <translation>
            <numerusform>%n similar customer already on this device. Open it, or save anyway.</numerusform>
            <numerusform>%n similar customers already on this device. Open one, or save anyway.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>Lifecycle</translation>
    </message>
    <message>
        <source>Tags (separated by commas)</source>
        <translation>Tags (separated by commas)</translation>
    </message>
    <message>
        <source>First contact</source>
        <translation>First contact</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>Sort</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>Contact name</translation>
    </message>
    <message>
        <source>Contact title</source>
        <translation>Contact title</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>Contact phone</translation>
    </message>
</context>
<context>
    <name>ExportView</name>
    <message>
        <source>Export to CSV (opens in Excel)</source>
        <translation>Export to CSV (opens in Excel)</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>From (yyyy-MM-dd)</source>
        <translation>From (yyyy-MM-dd)</translation>
    </message>
    <message>
        <source>To, included (yyyy-MM-dd)</source>
        <translation>To, included (yyyy-MM-dd)</translation>
    </message>
    <message>
        <source>File (empty: the documents folder)</source>
        <translation>File (empty: the documents folder)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n row(s) to %1</source>
        <translation>
            <numerusform>Wrote %n row to %1</numerusform>
            <numerusform>Wrote %n rows to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>What to export</translation>
    </message>
</context>
<context>
    <name>FieldHistoryRow</name>
    <message>
        <source>Overwritten · </source>
        <translation>Overwritten · </translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resolved</translation>
    </message>
</context>
<context>
    <name>FieldLabels</name>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>Company size</source>
        <translation>Company size</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>Lifecycle</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Annual sales</source>
        <translation>Annual sales</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>Birthday</translation>
    </message>
    <message>
        <source>Primary contact</source>
        <translation>Primary contact</translation>
    </message>
    <message>
        <source>Sales rep</source>
        <translation>Sales rep</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Planned for</source>
        <translation>Planned for</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>Next follow-up</translation>
    </message>
    <message>
        <source>Order amount</source>
        <translation>Order amount</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Assignee</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>Handler</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Satisfaction afterwards</source>
        <translation>Satisfaction afterwards</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>Reason for voiding</source>
        <translation>Reason for voiding</translation>
    </message>
    <message>
        <source>Visit notes</source>
        <translation>Visit notes</translation>
    </message>
    <message>
        <source>Job title</source>
        <translation>Job title</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Caption</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Taken</translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation>Uploaded</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>fieldsync</source>
        <translation>fieldsync</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>Complaints</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
</context>
<context>
    <name>PlanVisitDialog</name>
    <message>
        <source>Plan a visit to %1</source>
        <translation>Plan a visit to %1</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Date and time (yyyy-MM-dd HH:mm)</source>
        <translation>Date and time (yyyy-MM-dd HH:mm)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Purpose</translation>
    </message>
</context>
<context>
    <name>PoolReturnView</name>
    <message>
        <source>Customers with no visit, and no new owner, in this many days lose their owner and go to the team&apos;s public pool.</source>
        <translation>Customers with no visit, and no new owner, in this many days lose their owner and go to the team&apos;s public pool.</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Preview</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) would return to the pool</source>
        <translation>
            <numerusform>%n customer would return to the pool</numerusform>
            <numerusform>%n customers would return to the pool</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>idle %n day(s)</source>
        <translation>
            <numerusform>idle %n day</numerusform>
            <numerusform>idle %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>last visit %1</source>
        <translation>last visit %1</translation>
    </message>
    <message>
        <source>never visited</source>
        <translation>never visited</translation>
    </message>
    <message numerus="yes">
        <source>Return %n to the pool</source>
        <translation>
            <numerusform>Return %n customer to the pool</numerusform>
            <numerusform>Return %n customers to the pool</numerusform>
        </translation>
    </message>
    <message>
        <source>Return to the public pool?</source>
        <translation>Return to the public pool?</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Return</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) idle for %1 days will lose their owner. Every rep of the team can then claim them.</source>
        <translation>
            <numerusform>%n customer idle for %1 days will lose their owner. Every rep of the team can then claim it.</numerusform>
            <numerusform>%n customers idle for %1 days will lose their owner. Every rep of the team can then claim them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Edit profile</source>
        <translation>Edit profile</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Annual sales (yuan)</source>
        <translation>Annual sales (yuan)</translation>
    </message>
    <message>
        <source>Location (latitude, longitude)</source>
        <translation>Location (latitude, longitude)</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>Lifecycle</translation>
    </message>
    <message>
        <source>Tags (separated by commas)</source>
        <translation>Tags (separated by commas)</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>RejectedPage</name>
    <message>
        <source>Rejected changes</source>
        <translation>Rejected changes</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>No rejected changes</source>
        <translation>No rejected changes</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Why: %1</source>
        <translation>Why: %1</translation>
    </message>
</context>
<context>
    <name>RescheduleDialog</name>
    <message>
        <source>Reschedule the visit to %1</source>
        <translation>Reschedule the visit to %1</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Move</translation>
    </message>
    <message>
        <source>Date and time (yyyy-MM-dd HH:mm)</source>
        <translation>Date and time (yyyy-MM-dd HH:mm)</translation>
    </message>
</context>
<context>
    <name>RowNames</name>
    <message>
        <source>team %1</source>
        <translation>team %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>a record no longer on this device</source>
        <translation>a record no longer on this device</translation>
    </message>
    <message>
        <source>It belongs to a customer that is not yours, or no longer yours.</source>
        <translation>It belongs to a customer that is not yours, or no longer yours.</translation>
    </message>
    <message>
        <source>A new customer can only be created for your own team.</source>
        <translation>A new customer can only be created for your own team.</translation>
    </message>
    <message>
        <source>Someone else claimed this customer first.</source>
        <translation>Someone else claimed this customer first.</translation>
    </message>
    <message>
        <source>Only a manager can void a visit.</source>
        <translation>Only a manager can void a visit.</translation>
    </message>
    <message>
        <source>Only a manager of the team can change its settings.</source>
        <translation>Only a manager of the team can change its settings.</translation>
    </message>
    <message>
        <source>Only a manager can reassign a customer.</source>
        <translation>Only a manager can reassign a customer.</translation>
    </message>
    <message>
        <source>Your role does not allow this change.</source>
        <translation>Your role does not allow this change.</translation>
    </message>
    <message>
        <source>Its customer is not on the server (it may have been removed).</source>
        <translation>Its customer is not on the server (it may have been removed).</translation>
    </message>
    <message>
        <source>A record cannot be moved to another customer.</source>
        <translation>A record cannot be moved to another customer.</translation>
    </message>
    <message>
        <source>A customer cannot be moved to another team this way; a manager reassigns it.</source>
        <translation>A customer cannot be moved to another team this way; a manager reassigns it.</translation>
    </message>
    <message>
        <source>It refers to a record you cannot see.</source>
        <translation>It refers to a record you cannot see.</translation>
    </message>
    <message>
        <source>The server did not accept this change.</source>
        <translation>The server did not accept this change.</translation>
    </message>
</context>
<context>
    <name>SectionHeader</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Wrong user name or password.</translation>
    </message>
    <message>
        <source>This device was signed out by the server (by an administrator, or a sign-out elsewhere). Sign in again.</source>
        <translation>This device was signed out by the server (by an administrator, or a sign-out elsewhere). Sign in again.</translation>
    </message>
    <message>
        <source>Cannot reach the server (%1). Check the address and the network.</source>
        <translation>Cannot reach the server (%1). Check the address and the network.</translation>
    </message>
    <message>
        <source>Invalid input: %1</source>
        <translation>Invalid input: %1</translation>
    </message>
    <message>
        <source>Too many attempts; try again later (%1).</source>
        <translation>Too many attempts; try again later (%1).</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Refused: %1</translation>
    </message>
    <message>
        <source>Not allowed: %1</source>
        <translation>Not allowed: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Sales rep</source>
        <translation>Sales rep</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Last problem: %1</source>
        <translation>Last problem: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n change waiting to be sent</numerusform>
            <numerusform>%n changes waiting to be sent</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Signing out sends your pending changes, then removes all customer data from this device.</source>
        <translation>Signing out sends your pending changes, then removes all customer data from this device.</translation>
    </message>
    <message>
        <source>Sending changes…</source>
        <translation>Sending changes…</translation>
    </message>
    <message>
        <source>Sign out?</source>
        <translation>Sign out?</translation>
    </message>
    <message>
        <source>All data on this device will be removed after your changes are sent.</source>
        <translation>All data on this device will be removed after your changes are sent.</translation>
    </message>
    <message>
        <source>Changes not sent</source>
        <translation>Changes not sent</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) could not be sent to the server and will be lost if you sign out now.</source>
        <translation>
            <numerusform>%n change could not be sent to the server and will be lost if you sign out now.</numerusform>
            <numerusform>%n changes could not be sent to the server and will be lost if you sign out now.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign out and lose them</source>
        <translation>Sign out and lose them</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>fieldsync</source>
        <translation>fieldsync</translation>
    </message>
    <message>
        <source>Sign in to your company&apos;s sync server. After the first sign-in the app works offline.</source>
        <translation>Sign in to your company&apos;s sync server. After the first sign-in the app works offline.</translation>
    </message>
    <message>
        <source>Server address, e.g. https://sync.example.com</source>
        <translation>Server address, e.g. https://sync.example.com</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <source>%n rejected</source>
        <translation>
            <numerusform>%n rejected</numerusform>
            <numerusform>%n rejected</numerusform>
        </translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>Synced %1</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>Never synced</translation>
    </message>
</context>
<context>
    <name>TeamFeedView</name>
    <message>
        <source>All reps</source>
        <translation>All reps</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>All time</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>Flagged only</source>
        <translation>Flagged only</translation>
    </message>
    <message>
        <source>Every check-in</source>
        <translation>Every check-in</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>Unverified</translation>
    </message>
    <message>
        <source>Suspicious</source>
        <translation>Suspicious</translation>
    </message>
    <message>
        <source>Far (%1 m)</source>
        <translation>Far (%1 m)</translation>
    </message>
    <message>
        <source>No location</source>
        <translation>No location</translation>
    </message>
    <message>
        <source>Order ¥%1</source>
        <translation>Order ¥%1</translation>
    </message>
    <message>
        <source>No visits</source>
        <translation>No visits</translation>
    </message>
    <message>
        <source>Rep</source>
        <translation>Rep</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Check-in verdict</source>
        <translation>Check-in verdict</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Key-account coverage this month: %1 of %2 (%3%)</source>
        <translation>Key-account coverage this month: %1 of %2 (%3%)</translation>
    </message>
    <message>
        <source>Visit feed</source>
        <translation>Visit feed</translation>
    </message>
    <message>
        <source>Churn risk (%1)</source>
        <translation>Churn risk (%1)</translation>
    </message>
    <message>
        <source>No customers at risk</source>
        <translation>No customers at risk</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>Reassign</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>By annual sales: A up to 75% of the total, B up to 95%, C the rest. The level set by hand is shown beside it.</source>
        <translation>By annual sales: A up to 75% of the total, B up to 95%, C the rest. The level set by hand is shown beside it.</translation>
    </message>
    <message>
        <source>Sales ¥%1 · level %2</source>
        <translation>Sales ¥%1 · level %2</translation>
    </message>
    <message>
        <source>Search customers (name, pinyin, phone)</source>
        <translation>Search customers (name, pinyin, phone)</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>Public pool</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message numerus="yes">
        <source>Assign %n</source>
        <translation>
            <numerusform>Assign %n customer</numerusform>
            <numerusform>Assign %n customers</numerusform>
        </translation>
    </message>
    <message>
        <source>Return to pool</source>
        <translation>Return to pool</translation>
    </message>
    <message numerus="yes">
        <source>%n suspicious</source>
        <translation>
            <numerusform>%n suspicious</numerusform>
            <numerusform>%n suspicious</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unverified</source>
        <translation>
            <numerusform>%n unverified</numerusform>
            <numerusform>%n unverified</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Nothing due today</source>
        <translation>Nothing due today</translation>
    </message>
</context>
<context>
    <name>VisitPage</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <source>Visit · %1</source>
        <translation>Visit · %1</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Locating…</source>
        <translation>Locating…</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>Check in</translation>
    </message>
    <message>
        <source>No location on this device: the check-in is saved without a position and marked.</source>
        <translation>No location on this device: the check-in is saved without a position and marked.</translation>
    </message>
    <message>
        <source>Checked in at %1 without a location</source>
        <translation>Checked in at %1 without a location</translation>
    </message>
    <message>
        <source>Checked in at %1 · %2, %3 (±%4 m)</source>
        <translation>Checked in at %1 · %2, %3 (±%4 m)</translation>
    </message>
    <message>
        <source>%1 m from the customer&apos;s recorded location (the team&apos;s radius is %2 m). The visit is flagged for your manager.</source>
        <translation>%1 m from the customer&apos;s recorded location (the team&apos;s radius is %2 m). The visit is flagged for your manager.</translation>
    </message>
    <message>
        <source>No location: the visit is marked for your manager.</source>
        <translation>No location: the visit is marked for your manager.</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>Order amount (¥)</source>
        <translation>Order amount (¥)</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>Next follow-up</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Tomorrow</translation>
    </message>
    <message>
        <source>In 3 days</source>
        <translation>In 3 days</translation>
    </message>
    <message>
        <source>In a week</source>
        <translation>In a week</translation>
    </message>
    <message>
        <source>In two weeks</source>
        <translation>In two weeks</translation>
    </message>
    <message>
        <source>In a month</source>
        <translation>In a month</translation>
    </message>
    <message>
        <source>Check out</source>
        <translation>Check out</translation>
    </message>
    <message>
        <source>Visit completed. It syncs with the next connection.</source>
        <translation>Visit completed. It syncs with the next connection.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>VisitPlanCard</name>
    <message>
        <source>Planned for %1 · %2</source>
        <translation>Planned for %1 · %2</translation>
    </message>
    <message>
        <source>Purpose: %1</source>
        <translation>Purpose: %1</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>Phone: %1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Address: %1</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Cancelled: %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>Reschedule</translation>
    </message>
    <message>
        <source>Cancel visit</source>
        <translation>Cancel visit</translation>
    </message>
</context>
<context>
    <name>VisitTimelineRow</name>
    <message>
        <source>Far from the customer (%1 m)</source>
        <translation>Far from the customer (%1 m)</translation>
    </message>
    <message>
        <source>No location</source>
        <translation>No location</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Cancelled: %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Voided: %1</source>
        <translation>Voided: %1</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>Order ¥%1</source>
        <translation>Order ¥%1</translation>
    </message>
</context>
<context>
    <name>VoidVisitDialog</name>
    <message>
        <source>Void this visit?</source>
        <translation>Void this visit?</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>A voided visit stays on the timeline, marked, and counts in no report.</source>
        <translation>A voided visit stays on the timeline, marked, and counts in no report.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>WeekChart</name>
    <message>
        <source>Visits per day this week</source>
        <translation>Visits per day this week</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Visits</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::AssignController</name>
    <message numerus="yes">
        <source>%n customer(s) now belong to %1</source>
        <translation>
            <numerusform>%n customer now belongs to %1</numerusform>
            <numerusform>%n customers now belong to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ChurnModel</name>
    <message>
        <source>No visit or order for 60 days</source>
        <translation>No visit or order for 60 days</translation>
    </message>
    <message>
        <source>Open complaint</source>
        <translation>Open complaint</translation>
    </message>
    <message>
        <source>Falling satisfaction</source>
        <translation>Falling satisfaction</translation>
    </message>
    <message>
        <source>Key customer overdue for a visit</source>
        <translation>Key customer overdue for a visit</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ComplaintsModel</name>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>During a visit</source>
        <translation>During a visit</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Medium</translation>
    </message>
    <message>
        <source>High</source>
        <translation>High</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation>Investigating</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>Followed up</source>
        <translation>Followed up</translation>
    </message>
    <message>
        <source>Describe the complaint</source>
        <translation>Describe the complaint</translation>
    </message>
    <message>
        <source>This complaint is still open</source>
        <translation>This complaint is still open</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ConflictsModel</name>
    <message>
        <source>No such conflict.</source>
        <translation>No such conflict.</translation>
    </message>
    <message>
        <source>This conflict is only known on this device so far; sync first, then resolve it.</source>
        <translation>This conflict is only known on this device so far; sync first, then resolve it.</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::CustomerDetail</name>
    <message>
        <source>Lead</source>
        <translation>Lead</translation>
    </message>
    <message>
        <source>First purchase</source>
        <translation>First purchase</translation>
    </message>
    <message>
        <source>Repeat buyer</source>
        <translation>Repeat buyer</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>Loyal</translation>
    </message>
    <message>
        <source>Churned</source>
        <translation>Churned</translation>
    </message>
    <message>
        <source>Micro</source>
        <translation>Micro</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>Small</translation>
    </message>
    <message>
        <source>Medium-sized</source>
        <translation>Medium-sized</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>Large</translation>
    </message>
    <message>
        <source>Enterprise group</source>
        <translation>Enterprise group</translation>
    </message>
    <message>
        <source>Enter the annual sales as a number, e.g. 1200000</source>
        <translation>Enter the annual sales as a number, e.g. 1200000</translation>
    </message>
    <message>
        <source>Enter the location as latitude, longitude, e.g. 30.2346, 120.1269</source>
        <translation>Enter the location as latitude, longitude, e.g. 30.2346, 120.1269</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::CustomersModel</name>
    <message>
        <source>No such customer.</source>
        <translation>No such customer.</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::ExportController</name>
    <message>
        <source>Choose visits or customers</source>
        <translation>Choose visits or customers</translation>
    </message>
    <message>
        <source>Enter dates as 2026-11-01</source>
        <translation>Enter dates as 2026-11-01</translation>
    </message>
    <message>
        <source>The range ends before it starts</source>
        <translation>The range ends before it starts</translation>
    </message>
    <message>
        <source>%1 already exists: choose another file</source>
        <translation>%1 already exists: choose another file</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::FieldHistoryModel</name>
    <message>
        <source>This device, not synced yet</source>
        <translation>This device, not synced yet</translation>
    </message>
    <message>
        <source>This device</source>
        <translation>This device</translation>
    </message>
    <message>
        <source>Unknown device</source>
        <translation>Unknown device</translation>
    </message>
    <message>
        <source>Device %1</source>
        <translation>Device %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::LocationSource</name>
    <message>
        <source>No location source on this device</source>
        <translation>No location source on this device</translation>
    </message>
    <message>
        <source>Location permission denied</source>
        <translation>Location permission denied</translation>
    </message>
    <message>
        <source>No location fix in time</source>
        <translation>No location fix in time</translation>
    </message>
    <message>
        <source>Location unavailable</source>
        <translation>Location unavailable</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::NewCustomerController</name>
    <message>
        <source>Same phone number</source>
        <translation>Same phone number</translation>
    </message>
    <message>
        <source>Same name</source>
        <translation>Same name</translation>
    </message>
    <message>
        <source>Name sounds the same</source>
        <translation>Name sounds the same</translation>
    </message>
    <message>
        <source>Similar name</source>
        <translation>Similar name</translation>
    </message>
    <message>
        <source>Public pool</source>
        <translation>Public pool</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::PoolReturnController</name>
    <message>
        <source>Enter a number of days from 1 to 3650</source>
        <translation>Enter a number of days from 1 to 3650</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) returned to the public pool</source>
        <translation>
            <numerusform>%n customer returned to the public pool</numerusform>
            <numerusform>%n customers returned to the public pool</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fieldsync::app::Session</name>
    <message>
        <source>The server address must start with http:// or https://</source>
        <translation>The server address must start with http:// or https://</translation>
    </message>
    <message>
        <source>Use the server&apos;s https:// address: plain http:// is only for a server on this device.</source>
        <translation>Use the server&apos;s https:// address: plain http:// is only for a server on this device.</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Enter your user name and password.</translation>
    </message>
    <message>
        <source>The server did not accept every change.</source>
        <translation>The server did not accept every change.</translation>
    </message>
    <message>
        <source>Could not remove this device&apos;s data: %1</source>
        <translation>Could not remove this device&apos;s data: %1</translation>
    </message>
    <message numerus="yes">
        <source>This device was signed out by the server, and its data was removed from this device; %n unsynced change(s) were lost. Sign in again.</source>
        <translation>
            <numerusform>This device was signed out by the server, and its data was removed from this device; %n unsynced change was lost. Sign in again.</numerusform>
            <numerusform>This device was signed out by the server, and its data was removed from this device; %n unsynced changes were lost. Sign in again.</numerusform>
        </translation>
    </message>
    <message>
        <source>This device was signed out by the server, and its data was removed from this device. Sign in again.</source>
        <translation>This device was signed out by the server, and its data was removed from this device. Sign in again.</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::SyncMonitor</name>
    <message>
        <source>Nothing waiting</source>
        <translation>Nothing waiting</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n follow-up(s)</source>
        <translation>
            <numerusform>%n follow-up</numerusform>
            <numerusform>%n follow-ups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n customer</numerusform>
            <numerusform>%n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s)</source>
        <translation>
            <numerusform>%n contact</numerusform>
            <numerusform>%n contacts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s)</source>
        <translation>
            <numerusform>%n complaint</numerusform>
            <numerusform>%n complaints</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) resolved</source>
        <translation>
            <numerusform>%n conflict resolved</numerusform>
            <numerusform>%n conflicts resolved</numerusform>
        </translation>
    </message>
    <message>
        <source>team settings</source>
        <translation>team settings</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n change waiting</numerusform>
            <numerusform>%n changes waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <extracomment>&quot;1 visit, 1 follow-up waiting&quot;</extracomment>
        <translation>%1 waiting</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fieldsync::app::TodayModel</name>
    <message>
        <source>Planned visits</source>
        <translation>Planned visits</translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation>Follow-ups due</translation>
    </message>
    <message>
        <source>Key customers to visit</source>
        <translation>Key customers to visit</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) since the last visit</source>
        <translation>
            <numerusform>%n day since the last visit</numerusform>
            <numerusform>%n days since the last visit</numerusform>
        </translation>
    </message>
    <message>
        <source>Never visited</source>
        <translation>Never visited</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::VisitController</name>
    <message>
        <source>The next follow-up cannot be in the past</source>
        <translation>The next follow-up cannot be in the past</translation>
    </message>
    <message>
        <source>The order amount must be an amount of yuan, like 12500, 12,500, ¥12,500 or 1.2万</source>
        <translation>The order amount must be an amount of yuan, like 12500, 12,500, ¥12,500 or 1.2万</translation>
    </message>
    <message>
        <source>Enter the date and time as 2026-11-23 09:30</source>
        <translation>Enter the date and time as 2026-11-23 09:30</translation>
    </message>
</context>
<context>
    <name>fieldsync::app::VisitsModel</name>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>Complaint visit</source>
        <translation>Complaint visit</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Enter the date and time as 2026-11-23 09:30</source>
        <translation>Enter the date and time as 2026-11-23 09:30</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>Suspicious</source>
        <translation>Suspicious</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>Unverified</translation>
    </message>
    <message>
        <source>no location</source>
        <translation>no location</translation>
    </message>
    <message>
        <source>the customer has no location</source>
        <translation>the customer has no location</translation>
    </message>
    <message>
        <source>imprecise location</source>
        <translation>imprecise location</translation>
    </message>
    <message>
        <source>far from the customer</source>
        <translation>far from the customer</translation>
    </message>
    <message>
        <source>the phone&apos;s clock was wrong</source>
        <translation>the phone&apos;s clock was wrong</translation>
    </message>
    <message>
        <source>a very short visit</source>
        <translation>a very short visit</translation>
    </message>
    <message>
        <source>too far from the previous check-in for the time between</source>
        <translation>too far from the previous check-in for the time between</translation>
    </message>
    <message>
        <source>a simulated location</source>
        <translation>a simulated location</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>a verdict and its reasons</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1 (not confirmed by the server yet)</source>
        <translation>%1 (not confirmed by the server yet)</translation>
    </message>
</context>
</TS>
